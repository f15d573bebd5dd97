// The seam's wasm Exp against float64 Math.exp, over the whole float32 range: normal results within
// 2 ulp, denormals, overflow to +∞, underflow to 0 and NaN as libm gives them.
import { describe, expect, it } from 'vitest';
import { setSeamKernels, tf } from '@lmkit/tensor';
import { BACKEND, expectNoLeak } from '@lmkit/testing';

const SPECIAL = [-Infinity, -200, -104.5, -103.9, -100, -95.5, -90, -87.5, -87.3, -50, -1, -1e-8, 0, 1e-8, 0.5, 1, 2.5, 10, 50, 88, 88.7, 88.72, 88.73, 100, Infinity, NaN];

/** 4,001 points from −110 to 90, and the special values. */
function inputs(): Float32Array {
  const xs = Array.from({ length: 4001 }, (_, i) => -110 + (200 * i) / 4000);
  return Float32Array.from([...xs, ...SPECIAL]);
}

describe.runIf(BACKEND === 'wasm')('Exp (seam, wasm)', () => {
  it('is within 2 ulp of the exact exp, with libm\'s ±∞, 0, denormals and NaN', async () => {
    const x = inputs();
    const got = (await tf.exp(tf.tensor1d(x)).data()) as Float32Array;
    x.forEach((xi, i) => {
      const want = Math.fround(Math.exp(xi));
      const y = got[i]!;
      if (Number.isNaN(want) || !Number.isFinite(want) || want === 0) {
        expect(Object.is(y, want) || (want === 0 && y < 2e-45), `exp(${xi}) = ${y}, want ${want}`).toBe(true);
      } else if (want < 1.1754944e-38) {
        expect(Math.abs(y - want), `exp(${xi}) = ${y}, want ${want} (denormal)`).toBeLessThanOrEqual(3e-45);
      } else {
        expect(Math.abs(y - want) / want, `exp(${xi}) = ${y}, want ${want}`).toBeLessThanOrEqual(2.5e-7);
      }
    });
  });

  it('agrees with tfjs\'s own kernel within float32 rounding, tails included', async () => {
    const x = tf.tensor1d(Array.from({ length: 1003 }, (_, i) => -30 + 0.06 * i));
    const ours = (await tf.exp(x).data()) as Float32Array;
    setSeamKernels('wasm', false);
    let theirs: Float32Array;
    try {
      theirs = (await tf.exp(x).data()) as Float32Array;
    } finally {
      setSeamKernels('wasm', true);
    }
    ours.forEach((y, i) => expect(Math.abs(y - theirs[i]!) / theirs[i]!).toBeLessThanOrEqual(2.5e-7));
  });

  it('gives its gradient (exp itself) and does not leak', async () => {
    const x = tf.tensor1d([-2, 0, 1.5]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.exp(t)))(x);
    const want = [-2, 0, 1.5].map((v) => Math.exp(v));
    Array.from(await g.data()).forEach((v, i) => expect(Math.abs(v - want[i]!) / want[i]!).toBeLessThan(3e-7));
    await expectNoLeak(() => tf.exp(x));
  });
});
