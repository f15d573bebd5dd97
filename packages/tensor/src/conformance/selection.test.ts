/**
 * Conformance of the selection ops on every backend: `tf.where` (masks, with broadcasting, and its
 * gradient), `tf.topk` (values and indices, ties, −∞, k = 1 and k = n, int32, unsorted) and
 * `tf.argMax`, against plain-JavaScript references.
 */
import { describe, expect, it } from 'vitest';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import { tf } from '../index.js';

forceDeviceKernels();
disposeAfterEach();

describe('where', () => {
  const SHAPE = [2, 3, 4];
  const cond = Array.from({ length: 24 }, (_, i) => (i * 7) % 5 < 2); // irregular pattern
  const a = testValues(24, 1);
  const b = testValues(24, 2);
  const w = testValues(24, 3);
  const condTensor = () => tf.tensor(cond, SHAPE, 'bool');

  it('selects elementwise', async () => {
    const y = tf.where(condTensor(), tf.tensor(a, SHAPE), tf.tensor(b, SHAPE));
    await expectClose(y, tf.tensor(cond.map((c, i) => (c ? a[i]! : b[i]!)), SHAPE), 0, 0);
  });

  it('broadcasts a causal mask [1, T, T] and a scalar fill over [B, T, T]', async () => {
    const T = 3;
    const causal = Array.from({ length: T * T }, (_, i) => i % T <= Math.floor(i / T)); // key ≤ query
    const scores = testValues(2 * T * T, 4);
    const y = tf.where(tf.tensor(causal, [1, T, T], 'bool'), tf.tensor(scores, [2, T, T]), tf.scalar(-1e9));
    await expectClose(y, tf.tensor(scores.map((s, i) => (causal[i % (T * T)] ? s : -1e9)), [2, T, T]), 0, 0);
  });

  it('gradient: w where the condition holds for a, elsewhere for b', async () => {
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.where(condTensor(), x, y), tf.tensor(w, SHAPE)));
    const [da, db] = tf.grads(f)([tf.tensor(a, SHAPE), tf.tensor(b, SHAPE)]);
    await expectClose(da!, tf.tensor(cond.map((c, i) => (c ? w[i]! : 0)), SHAPE), 0, 0);
    await expectClose(db!, tf.tensor(cond.map((c, i) => (c ? 0 : w[i]!)), SHAPE), 0, 0);
  });

  it('gradient sums over broadcast dimensions of a [3, 4] operand', async () => {
    const a2 = testValues(12, 5);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.where(condTensor(), x, y), tf.tensor(w, SHAPE)));
    const [da, db] = tf.grads(f)([tf.tensor(a2, [3, 4]), tf.scalar(0.5)]);
    const wantA = Array.from({ length: 12 }, (_, j) => (cond[j] ? w[j]! : 0) + (cond[12 + j] ? w[12 + j]! : 0));
    await expectClose(da!, tf.tensor(wantA, [3, 4]), 1e-6, 1e-6);
    await expectClose(db!, tf.scalar(cond.reduce((s, c, i) => s + (c ? 0 : w[i]!), 0)), 1e-5, 1e-5);
  });

  it('leaks no tensors, forward or backward', async () => {
    const c = condTensor();
    const x = tf.tensor(a, SHAPE);
    const fill = tf.scalar(-1e9);
    await expectNoLeak(() => tf.where(c, x, fill));
    await expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(tf.where(c, v, tf.zerosLike(v))))(x));
  });
});

/** Top k of each row of length n: sorted by value descending, ties to the lower index. */
function refTopk(x: readonly number[], n: number, k: number): { values: number[]; indices: number[] } {
  const values: number[] = [];
  const indices: number[] = [];
  for (let r = 0; r < x.length; r += n) {
    const order = Array.from({ length: n }, (_, j) => j).sort((i, j) => x[r + j]! - x[r + i]! || i - j);
    for (const j of order.slice(0, k)) {
      values.push(x[r + j]!);
      indices.push(j);
    }
  }
  return { values, indices };
}

describe('topk', () => {
  // [2, 3, 7]: distinct values, ties inside and across the k boundary, all equal, and −∞.
  const N = 7;
  const rows = [
    testValues(7, 1),
    [1, 3, 3, 2, 3, 0, -1],
    [5, 5, 5, 5, 5, 5, 5],
    [-2, 4, -7, 4, 0.5, 4, 4],
    [0, -Infinity, 2, -Infinity, 1, -0.5, 3],
    testValues(7, 2).map((v) => -v),
  ];
  const x = rows.flat();

  it.each([1, 3, N])('k = %i: values and indices, ties to the lower index', async (k) => {
    const { values, indices } = tf.topk(tf.tensor(x, [2, 3, N]), k);
    const ref = refTopk(x, N, k);
    expect(indices.dtype).toBe('int32');
    await expectClose(values, tf.tensor(ref.values, [2, 3, k]), 0, 0);
    await expectClose(indices, tf.tensor(ref.indices, [2, 3, k], 'int32'), 0, 0);
  });

  it('int32 input', async () => {
    const ints = [4, 1, 4, 9, -3, 9, 0, 2, 2, 7];
    const { values, indices } = tf.topk(tf.tensor(ints, [2, 5], 'int32'), 3);
    const ref = refTopk(ints, 5, 3);
    expect(values.dtype).toBe('int32');
    await expectClose(values, tf.tensor(ref.values, [2, 3], 'int32'), 0, 0);
    await expectClose(indices, tf.tensor(ref.indices, [2, 3], 'int32'), 0, 0);
  });

  it('sorted = false returns the same top-k set, values paired with their indices', async () => {
    const k = 3;
    const distinct = [...testValues(7, 1), ...testValues(7, 2)];
    const { values, indices } = tf.topk(tf.tensor(distinct, [2, N]), k, false);
    expect(values.shape).toEqual([2, k]);
    const [v, idx] = [await values.data(), await indices.data()];
    const ref = refTopk(distinct, N, k);
    for (let r = 0; r < 2; r++) {
      const got = Array.from(idx.slice(r * k, (r + 1) * k)).sort();
      expect(got).toEqual(ref.indices.slice(r * k, (r + 1) * k).sort());
      for (let j = r * k; j < (r + 1) * k; j++) expect(v[j]).toBe(distinct[r * N + idx[j]!]);
    }
  });

  it('leaks no tensors', async () => {
    const t = tf.tensor(x, [2, 3, N]);
    await expectNoLeak(() => tf.topk(t, 3));
  });
});

describe('argMax', () => {
  it('picks the first of tied maxima along the last axis', async () => {
    const x = [1, 3, 3, 0, 9, 2, 9, 9, -1, -1, -1, -1, testValues(4, 1)].flat();
    const want = [1, 0, 0, x.slice(12).indexOf(Math.max(...x.slice(12)))];
    const y = tf.argMax(tf.tensor(x, [4, 4]), -1);
    expect(y.dtype).toBe('int32');
    await expectClose(y, tf.tensor(want, [4], 'int32'), 0, 0);
  });

  it('leaks no tensors', async () => {
    const t = tf.tensor(testValues(12, 1), [3, 4]);
    await expectNoLeak(() => tf.argMax(t, -1));
  });
});
