// Conformance of the seam's wasm Slice with tfjs-backend-wasm's own kernel: ranks 1–5, contiguous
// and strided regions, every dtype.
import { describe, expect, it } from 'vitest';
import { tf, setSeamKernels, type Tensor } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak } from '@lmkit/testing';

/** `fn` on tfjs's own wasm kernels, with the seam's switched off. */
function original<T>(fn: () => T): T {
  setSeamKernels('wasm', false);
  try {
    return fn();
  } finally {
    setSeamKernels('wasm', true);
  }
}

/** 0, 1, 2, … in `shape`. */
const iota = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => tf.range(0, tf.util.sizeFromShape(shape), 1, dtype).reshape(shape);

// [name, shape, begin, size]; size -1 takes the rest of the dim.
const CASES: Array<[string, number[], number[], number[]]> = [
  ['rank 1', [10], [3], [4]],
  ['rank 1, to the end', [10], [3], [-1]],
  ['rank 2, whole rows (contiguous)', [6, 5], [2, 0], [3, 5]],
  ['rank 2, columns (strided)', [6, 5], [1, 1], [4, 3]],
  ['rank 2, one column', [6, 5], [0, 4], [6, 1]],
  ['rank 3, one step of a sequence', [4, 7, 3], [0, 2, 0], [4, 1, 3]],
  ['rank 3, leading 1s then a run (contiguous)', [4, 7, 3], [2, 3, 0], [1, 2, 3]],
  ['rank 3, inner block', [4, 7, 3], [1, 2, 1], [2, 4, 2]],
  ['rank 4, strided', [3, 4, 5, 6], [1, 0, 2, 1], [2, 3, 2, 4]],
  ['rank 4, whole', [3, 4, 5, 6], [0, 0, 0, 0], [3, 4, 5, 6]],
  ['rank 5, strided', [2, 3, 4, 3, 5], [1, 1, 0, 1, 2], [1, 2, 4, 2, 3]],
  ['rank 5, trailing dims whole', [2, 3, 4, 3, 5], [0, 1, 1, 0, 0], [2, 2, 2, 3, 5]],
  ['empty', [4, 5], [1, 2], [0, 3]],
];

describe.runIf(BACKEND === 'wasm')('Slice (seam, wasm)', () => {
  for (const [name, shape, begin, size] of CASES) {
    it(`${name}: equals tfjs's kernel`, async () => {
      const x = iota(shape);
      await expectClose(tf.slice(x, begin, size), original(() => tf.slice(x, begin, size)), 0, 0);
    });
  }

  it('slices int32, bool and string tensors', async () => {
    const ints = iota([4, 5], 'int32');
    const got = tf.slice(ints, [1, 1], [2, 3]);
    expect(got.dtype).toBe('int32');
    expect(await got.array()).toEqual([[6, 7, 8], [11, 12, 13]]);
    const bools = tf.greater(iota([4, 5]), 9);
    expect(await tf.slice(bools, [1, 3], [2, 2]).array()).toEqual([[0, 0], [1, 1]]);
    const strings = tf.tensor([['a', 'b', 'c'], ['d', 'e', 'f']]);
    expect(await tf.slice(strings, [0, 1], [2, 2]).array()).toEqual([['b', 'c'], ['e', 'f']]);
  });

  it('gives the gradient tfjs gives', async () => {
    const x = iota([4, 5, 3]);
    const grad = () => tf.grad((t: Tensor) => tf.sum(tf.square(tf.slice(t, [1, 1, 0], [2, 3, 2]))))(x);
    await expectClose(grad(), original(grad), 0, 0);
  });

  it('does not leak', async () => {
    const x = iota([4, 5, 3]);
    await expectNoLeak(() => tf.slice(x, [1, 1, 1], [2, 3, 2]));
    x.dispose();
  });
});
