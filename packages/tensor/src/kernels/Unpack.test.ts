// Conformance of the seam's wasm Unpack (tf.unstack) with tfjs-backend-wasm's own kernel, on
// every axis.
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

describe.runIf(BACKEND === 'wasm')('Unpack (seam, wasm)', () => {
  const x = tf.range(0, 2 * 3 * 4).reshape([2, 3, 4]);

  for (const axis of [0, 1, 2, -1]) {
    it(`axis ${axis}: equals tfjs's kernel`, async () => {
      const got = tf.unstack(x, axis);
      const want = original(() => tf.unstack(x, axis));
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) await expectClose(got[i]!, want[i]!, 0, 0);
    });
  }

  it('unstacks rank 1, int32 and size-1 axes', async () => {
    expect((await Promise.all(tf.unstack(tf.tensor1d([4, 5, 6], 'int32')).map((t) => t.array())))).toEqual([4, 5, 6]);
    const [only] = tf.unstack(tf.ones([1, 3]));
    expect(await only!.array()).toEqual([1, 1, 1]);
  });

  it('gives the gradient tfjs gives', async () => {
    const grad = () => tf.grad((t: Tensor) => tf.addN(tf.unstack(t, 1).map((s, i) => tf.mul(tf.sum(s), i + 1))))(x);
    await expectClose(grad(), original(grad), 0, 0);
  });

  it('does not leak', async () => {
    await expectNoLeak(() => tf.unstack(x, 1));
  });
});
