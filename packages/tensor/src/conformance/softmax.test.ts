/**
 * Conformance of `tf.softmax` and `tf.logSoftmax` (last axis) on every backend: forward against a
 * float64 reference, numerical stability for logits far outside exp's float32 range, additive
 * −∞ masks (as attention uses them), and gradients against their analytical formulas.
 */
import { describe, expect, it } from 'vitest';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import { tf } from '../index.js';

forceDeviceKernels();
disposeAfterEach();

/** Row-wise float64 log-softmax over the last axis of length `n`, shifted by the row max. */
function refLogSoftmax(x: readonly number[], n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length; r += n) {
    const row = x.slice(r, r + n);
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    out.push(...row.map((v) => v - lse));
  }
  return out;
}

const refSoftmax = (x: readonly number[], n: number) => refLogSoftmax(x, n).map(Math.exp);

/** Σ over each row of length n of a ⊙ b, repeated for every element of the row. */
function rowDot(a: readonly number[], b: readonly number[], n: number): number[] {
  return a.map((_, i) => {
    const r = i - (i % n);
    let s = 0;
    for (let j = r; j < r + n; j++) s += a[j]! * b[j]!;
    return s;
  });
}

const SHAPE = [2, 3, 5]; // [B, T, V]
const N = 5;
const x = testValues(30, 1).map((v) => 4 * v);
const w = testValues(30, 2);

// Logits whose exp overflows (> 88.7) or underflows (< −103) in float32, and rows whose entries
// are all huge and close together: a kernel that does not subtract the row max returns NaN or 0.
const LARGE = [
  [1000, 999, -1000, 0, 998.5],
  [-1e4, -1e4 + 1, -1e4 + 2.5, -1e4 - 30, -1e4 + 0.25],
  [88, 89, 90, 91, 92],
  [-100, -101, -105, -110, -104],
  [3e4, -3e4, 0, 3e4 - 2, 1],
].flat();

describe('softmax', () => {
  it('matches a float64 reference, rows summing to 1', async () => {
    const y = tf.softmax(tf.tensor(x, SHAPE));
    await expectClose(y, tf.tensor(refSoftmax(x, N), SHAPE), 1e-6, 1e-5);
    await expectClose(tf.sum(y, -1), tf.ones([2, 3]), 1e-5);
  });

  it('is stable for large-magnitude logits', async () => {
    await expectClose(tf.softmax(tf.tensor(LARGE, [5, N])), tf.tensor(refSoftmax(LARGE, N), [5, N]), 1e-6, 1e-5);
  });

  it('gives exactly 0 where an additive mask is −∞', async () => {
    const masked = x.map((v, i) => (i % 3 === 1 ? -Infinity : v)); // every row keeps some entries
    const y = tf.softmax(tf.tensor(masked, SHAPE));
    await expectClose(y, tf.tensor(refSoftmax(masked, N), SHAPE), 1e-6, 1e-5);
    const got = await y.data();
    for (let i = 0; i < masked.length; i++) if (masked[i] === -Infinity) expect(got[i]).toBe(0);
  });

  it('gradient: ∂/∂x Σ w ⊙ softmax(x) = y ⊙ (w − Σ w y)', async () => {
    const y = refSoftmax(x, N);
    const dot = rowDot(w, y, N);
    const want = y.map((yi, i) => yi * (w[i]! - dot[i]!));
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.tensor(w, SHAPE))))(tf.tensor(x, SHAPE));
    await expectClose(g, tf.tensor(want, SHAPE), 1e-6, 1e-5);
  });

  it('gradient is finite and 0 at −∞-masked logits', async () => {
    const masked = x.map((v, i) => (i % 3 === 1 ? -Infinity : v));
    const y = refSoftmax(masked, N);
    const dot = rowDot(w, y, N);
    const want = y.map((yi, i) => yi * (w[i]! - dot[i]!));
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.tensor(w, SHAPE))))(tf.tensor(masked, SHAPE));
    await expectClose(g, tf.tensor(want, SHAPE), 1e-6, 1e-5);
  });

  it('leaks no tensors, forward or backward', async () => {
    const t = tf.tensor(x, SHAPE);
    await expectNoLeak(() => tf.softmax(t));
    await expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(tf.softmax(v)))(t));
  });
});

describe('logSoftmax', () => {
  it('matches a float64 reference', async () => {
    await expectClose(tf.logSoftmax(tf.tensor(x, SHAPE)), tf.tensor(refLogSoftmax(x, N), SHAPE), 1e-5, 1e-5);
  });

  it('is stable for large-magnitude logits', async () => {
    await expectClose(tf.logSoftmax(tf.tensor(LARGE, [5, N])), tf.tensor(refLogSoftmax(LARGE, N), [5, N]), 1e-5, 1e-6);
  });

  it('gives −∞ where an additive mask is −∞ and the reference elsewhere', async () => {
    const masked = x.map((v, i) => (i % 3 === 1 ? -Infinity : v));
    const want = refLogSoftmax(masked, N);
    expect(want.filter((v) => v === -Infinity)).toHaveLength(10);
    await expectClose(tf.logSoftmax(tf.tensor(masked, SHAPE)), tf.tensor(want, SHAPE), 1e-5, 1e-5);
  });

  it('gradient: ∂/∂x Σ w ⊙ logSoftmax(x) = w − softmax(x) Σ w', async () => {
    const y = refSoftmax(x, N);
    const total = rowDot(w, w.map(() => 1), N);
    const want = w.map((wi, i) => wi - y[i]! * total[i]!);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.logSoftmax(t), tf.tensor(w, SHAPE))))(tf.tensor(x, SHAPE));
    await expectClose(g, tf.tensor(want, SHAPE), 1e-5, 1e-5);
  });

  it('gradient is stable for large-magnitude logits', async () => {
    const wl = testValues(LARGE.length, 3);
    const y = refSoftmax(LARGE, N);
    const total = rowDot(wl, wl.map(() => 1), N);
    const want = wl.map((wi, i) => wi - y[i]! * total[i]!);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.logSoftmax(t), tf.tensor(wl, [5, N]))))(tf.tensor(LARGE, [5, N]));
    await expectClose(g, tf.tensor(want, [5, N]), 1e-5, 1e-5);
  });

  it('leaks no tensors, forward or backward', async () => {
    const t = tf.tensor(x, SHAPE);
    await expectNoLeak(() => tf.logSoftmax(t));
    await expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(tf.logSoftmax(v)))(t));
  });
});
