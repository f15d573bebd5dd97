// Conformance of the seam's wasm SplitV (tf.split) with tfjs-backend-wasm's own kernel, on every
// axis, for a count of parts and for sizes.
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

describe.runIf(BACKEND === 'wasm')('SplitV (seam, wasm)', () => {
  const x = tf.range(0, 4 * 6 * 6).reshape([4, 6, 6]);

  // [axis, numOrSizeSplits]
  const CASES: Array<[number, number | number[]]> = [[0, 2], [1, 3], [2, 2], [-1, 3], [0, [1, 3]], [1, [2, -1, 1]], [2, [0, 6]]];
  for (const [axis, splits] of CASES) {
    it(`axis ${axis}, splits ${JSON.stringify(splits)}: equals tfjs's kernel`, async () => {
      const got = tf.split(x, splits, axis);
      const want = original(() => tf.split(x, splits, axis));
      expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
      for (let i = 0; i < want.length; i++) await expectClose(got[i]!, want[i]!, 0, 0);
    });
  }

  it('gives the gradient tfjs gives', async () => {
    const grad = () => tf.grad((t: Tensor) => { const [q, k] = tf.split(t, [2, 4], 2); return tf.sum(tf.mul(tf.square(q!), 3)).add(tf.sum(k!)); })(x);
    await expectClose(grad(), original(grad), 0, 0);
  });

  it('does not leak', async () => {
    await expectNoLeak(() => tf.split(x, 3, 1));
  });
});
