// The seam's wasm UnsortedSegmentSum (tfjs-backend-wasm has none), and the gradient of tf.gather
// it gives wasm, checked on every backend against sums written out by hand.
import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak } from '@lmkit/testing';

const x52 = () => tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);

describe.runIf(BACKEND === 'wasm')('UnsortedSegmentSum (seam, wasm)', () => {
  it('sums rows per segment and drops ids outside [0, numSegments), as cpu does', async () => {
    const ids = tf.tensor1d([0, 2, -1, 2, 7], 'int32');
    await expectClose(tf.unsortedSegmentSum(x52(), ids, 3), [[1, 2], [0, 0], [10, 12]], 0, 0);
  });

  it('takes segment ids of any rank that prefixes x', async () => {
    const x = tf.range(0, 12).reshape([2, 2, 3]);
    // tfjs types segment ids as 1-D; the op and kernels take any rank that prefixes x's shape.
    const ids = tf.tensor2d([[1, 0], [1, 3]], [2, 2], 'int32') as unknown as tf.Tensor1D;
    await expectClose(tf.unsortedSegmentSum(x, ids, 2), [[3, 4, 5], [6, 8, 10]], 0, 0);
  });

  it('keeps int32 values int32', async () => {
    const sums = tf.unsortedSegmentSum(tf.tensor1d([5, 6, 7], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2);
    expect(sums.dtype).toBe('int32');
    expect(await sums.array()).toEqual([7, 11]);
  });

  it('gives zeros for no ids', async () => {
    const sums = tf.unsortedSegmentSum(tf.zeros([0, 2]), tf.tensor1d([], 'int32'), 2);
    await expectClose(sums, [[0, 0], [0, 0]], 0, 0);
  });

  it('does not leak', async () => {
    const x = x52();
    const ids = tf.tensor1d([0, 2, 1, 2, 0], 'int32');
    await expectNoLeak(() => tf.unsortedSegmentSum(x, ids, 3));
  });
});

describe('gather has a gradient', () => {
  const gatherGrad = (x: Tensor, indices: Tensor, w: Tensor, axis: number) =>
    tf.grad((t: Tensor) => tf.sum(tf.mul(tf.gather(t, indices, axis), w)))(x);

  it('along axis 0, with repeated indices', async () => {
    const indices = tf.tensor1d([0, 2, 2, 4, 0], 'int32');
    const w = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14, 15]]);
    // dx[r] = Σ of the rows of w gathered from row r
    const want = [[14, 16, 18], [0, 0, 0], [11, 13, 15], [0, 0, 0], [10, 11, 12]];
    await expectClose(gatherGrad(tf.zeros([5, 3]), indices, w, 0), want, 0, 0);
  });

  it('along axis 1', async () => {
    const indices = tf.tensor1d([3, 1, 3], 'int32');
    const w = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    await expectClose(gatherGrad(tf.zeros([2, 4]), indices, w, 1), [[0, 2, 0, 4], [0, 5, 0, 10]], 0, 0);
  });

  it('for 2-D indices (an embedding lookup of a batch of sequences)', async () => {
    const indices = tf.tensor2d([[0, 1], [1, 1]], [2, 2], 'int32');
    const w = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    await expectClose(gatherGrad(tf.zeros([3, 2]), indices, w, 0), [[1, 2], [15, 18], [0, 0]], 0, 0);
  });

  it('does not leak', async () => {
    const indices = tf.tensor1d([0, 2, 2], 'int32');
    const x = tf.zeros([3, 2]);
    const w = tf.ones([3, 2]);
    await expectNoLeak(() => gatherGrad(x, indices, w, 0));
  });
});
