/**
 * Conformance of the ops `LayerNorm` and `RMSNorm` are built from — `tf.moments` (biased
 * variance), `tf.rsqrt` and their composition — on every backend: forward against float64
 * references, gradients against central differences of those references.
 */
import { describe, it } from 'vitest';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, numericGrad, testValues } from '@lmkit/testing';
import { tf } from '../index.js';

forceDeviceKernels();
disposeAfterEach();

const EPS = 1e-5;
const SHAPE = [2, 3, 6]; // [B, T, C]
const C = 6;
const x = testValues(36, 1).map((v, i) => 2 * v + (i % C) * 0.25); // rows with distinct means and spreads
const w = testValues(36, 2);

/** Mean and biased variance of each group of `n` consecutive values, in float64. */
function refMoments(v: ArrayLike<number>, n: number): { mean: number[]; variance: number[] } {
  const mean: number[] = [];
  const variance: number[] = [];
  for (let r = 0; r < v.length; r += n) {
    let m = 0;
    for (let j = r; j < r + n; j++) m += v[j]!;
    m /= n;
    let s = 0;
    for (let j = r; j < r + n; j++) s += (v[j]! - m) ** 2;
    mean.push(m);
    variance.push(s / n);
  }
  return { mean, variance };
}

/** (x − mean) / √(var + eps) over groups of n, in float64. */
function refLayerNorm(v: ArrayLike<number>, n: number): number[] {
  const { mean, variance } = refMoments(v, n);
  return Array.from(v, (xi, i) => (xi - mean[Math.floor(i / n)]!) / Math.sqrt(variance[Math.floor(i / n)]! + EPS));
}

/** x / √(mean(x²) + eps) over groups of n, in float64. */
function refRmsNorm(v: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < v.length; r += n) {
    let s = 0;
    for (let j = r; j < r + n; j++) s += v[j]! ** 2;
    for (let j = r; j < r + n; j++) out.push(v[j]! / Math.sqrt(s / n + EPS));
  }
  return out;
}

const weighted = (y: readonly number[]) => y.reduce((s, yi, i) => s + yi * w[i]!, 0);

/** The tfjs composition under test, as `LayerNorm.forward` writes it. */
function layerNorm(t: tf.Tensor, axes: number[]): tf.Tensor {
  const { mean, variance } = tf.moments(t, axes, true);
  return tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, EPS)));
}

function rmsNorm(t: tf.Tensor): tf.Tensor {
  return tf.mul(t, tf.rsqrt(tf.add(tf.mean(tf.square(t), -1, true), EPS)));
}

describe('moments', () => {
  it('over the last axis (keepDims): mean and biased variance', async () => {
    const { mean, variance } = tf.moments(tf.tensor(x, SHAPE), -1, true);
    const ref = refMoments(x, C);
    await expectClose(mean, tf.tensor(ref.mean, [2, 3, 1]), 1e-6, 1e-5);
    await expectClose(variance, tf.tensor(ref.variance, [2, 3, 1]), 1e-6, 1e-5);
  });

  it('over the last two axes', async () => {
    const { mean, variance } = tf.moments(tf.tensor(x, SHAPE), [1, 2], true);
    const ref = refMoments(x, 18);
    await expectClose(mean, tf.tensor(ref.mean, [2, 1, 1]), 1e-6, 1e-5);
    await expectClose(variance, tf.tensor(ref.variance, [2, 1, 1]), 1e-6, 1e-5);
  });

  it('keeps the variance of values far from zero (no E[x²] − E[x]² cancellation)', async () => {
    const shifted = x.map((v) => Math.fround(1000 + v));
    const { variance } = tf.moments(tf.tensor(shifted, SHAPE), -1, true);
    await expectClose(variance, tf.tensor(refMoments(shifted, C).variance, [2, 3, 1]), 1e-4, 1e-3);
  });

  it('gradient of Σ w₁·mean + w₂·variance matches central differences', async () => {
    const w1 = testValues(6, 3);
    const w2 = testValues(6, 4);
    const f = (v: Float64Array) => {
      const { mean, variance } = refMoments(v, C);
      return mean.reduce((s, m, r) => s + w1[r]! * m + w2[r]! * variance[r]!, 0);
    };
    const g = tf.grad((t: tf.Tensor) => {
      const { mean, variance } = tf.moments(t, -1, true);
      return tf.add(tf.sum(tf.mul(mean, tf.tensor(w1, [2, 3, 1]))), tf.sum(tf.mul(variance, tf.tensor(w2, [2, 3, 1]))));
    })(tf.tensor(x, SHAPE));
    await expectClose(g, tf.tensor(numericGrad(f, x), SHAPE), 1e-5, 1e-4);
  });
});

describe('rsqrt', () => {
  const v = [4, 0.25, EPS, 1e4, 2, 0.7, 1 + EPS, 123.5];

  it('matches 1/√x from tiny to large values', async () => {
    await expectClose(tf.rsqrt(tf.tensor(v, [2, 4])), tf.tensor(v.map((a) => 1 / Math.sqrt(a)), [2, 4]), 0, 1e-5);
  });

  it('gradient is −½ x^(−3/2)', async () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.rsqrt(t), tf.tensor(w.slice(0, 8), [2, 4]))))(tf.tensor(v, [2, 4]));
    await expectClose(g, tf.tensor(v.map((a, i) => -0.5 * w[i]! * a ** -1.5), [2, 4]), 0, 1e-4);
  });
});

describe('layer norm composition', () => {
  it('forward matches a float64 reference, over one and two trailing axes', async () => {
    await expectClose(layerNorm(tf.tensor(x, SHAPE), [2]), tf.tensor(refLayerNorm(x, C), SHAPE), 1e-5, 1e-4);
    await expectClose(layerNorm(tf.tensor(x, SHAPE), [1, 2]), tf.tensor(refLayerNorm(x, 18), SHAPE), 1e-5, 1e-4);
  });

  it('gradients with respect to x, weight and bias', async () => {
    const gamma = testValues(C, 5).map((v) => 1 + 0.5 * v);
    const beta = testValues(C, 6);
    const f = (t: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.add(tf.mul(layerNorm(t, [2]), g), b), tf.tensor(w, SHAPE)));
    const [dx, dGamma, dBeta] = tf.grads(f)([tf.tensor(x, SHAPE), tf.tensor(gamma, [C]), tf.tensor(beta, [C])]);
    const wGamma = (v: Float64Array) => weighted(refLayerNorm(v, C).map((y, i) => y * gamma[i % C]!));
    await expectClose(dx!, tf.tensor(numericGrad(wGamma, x), SHAPE), 1e-4, 1e-4);
    const xHat = refLayerNorm(x, C);
    const sumOverRows = (term: (i: number) => number) =>
      Array.from({ length: C }, (_, c) => Array.from({ length: 6 }, (_, r) => term(r * C + c)).reduce((s, t) => s + t, 0));
    await expectClose(dGamma!, tf.tensor(sumOverRows((i) => w[i]! * xHat[i]!), [C]), 1e-5, 1e-4);
    await expectClose(dBeta!, tf.tensor(sumOverRows((i) => w[i]!), [C]), 1e-5, 1e-5);
  });

  it('RMS norm forward and gradient', async () => {
    await expectClose(rmsNorm(tf.tensor(x, SHAPE)), tf.tensor(refRmsNorm(x, C), SHAPE), 1e-5, 1e-4);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(rmsNorm(t), tf.tensor(w, SHAPE))))(tf.tensor(x, SHAPE));
    await expectClose(g, tf.tensor(numericGrad((v) => weighted(refRmsNorm(v, C)), x), SHAPE), 1e-4, 1e-4);
  });

  it('leaks no tensors, forward or backward', async () => {
    const t = tf.tensor(x, SHAPE);
    await expectNoLeak(() => tf.moments(t, -1, true));
    const positive = tf.tensor(x.map((v) => 0.1 + v * v), SHAPE);
    await expectNoLeak(() => tf.rsqrt(positive));
    await expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(layerNorm(v, [2])))(t));
  });
});
