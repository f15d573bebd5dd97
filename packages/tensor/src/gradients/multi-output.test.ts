import { describe, expect, it } from 'vitest';
import { tf } from '@lmkit/tensor';
import { expectClose, expectNoLeak } from '@lmkit/testing';

// Unpack and SplitV have several outputs; when only some reach the loss, the others' gradients
// are zeros. The expected values are written out: d/dx of Σ wᵢ·pieceᵢ over the used pieces.
describe('gradients of multi-output ops with unused outputs', () => {
  const x = () => tf.tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]); // (3, 4)

  it('unstack: only row 1 used', async () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.unstack(t, 0)[1]!, tf.tensor([1, 2, 3, 4]))))(x());
    await expectClose(g, [[0, 0, 0, 0], [1, 2, 3, 4], [0, 0, 0, 0]]);
  });

  it('unstack along the last axis: only column 3 used', async () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.unstack(t, -1)[3]!, 2)))(x());
    await expectClose(g, [[0, 0, 0, 2], [0, 0, 0, 2], [0, 0, 0, 2]]);
  });

  it('split into sizes [1, -1, 1] along axis 1: only the middle piece used', async () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.split(t, [1, -1, 1], 1)[1]!, tf.tensor([[1, 2]]))))(x());
    await expectClose(g, [[0, 1, 2, 0], [0, 1, 2, 0], [0, 1, 2, 0]]);
  });

  it('split into 3 equal pieces along axis 0: first and last used', async () => {
    const g = tf.grad((t: tf.Tensor) => {
      const [a, , c] = tf.split(t, 3, 0);
      return tf.add(tf.sum(a!), tf.sum(tf.mul(c!, 3)));
    })(x());
    await expectClose(g, [[1, 1, 1, 1], [0, 0, 0, 0], [3, 3, 3, 3]]);
    expect(g.shape).toEqual([3, 4]);
  });

  it('does not leak', async () => {
    const t = x();
    await expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(tf.split(v, 2, 1)[0]!))(t));
    await expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(tf.unstack(v)[2]!))(t));
    t.dispose();
  });
});
