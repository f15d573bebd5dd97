import { describe, expect, it } from 'vitest';
import { tf } from '@lmkit/tensor';
import { expectClose, expectNoLeak } from '@lmkit/testing';

// Reference: d/dA and d/dB of sum(W ⊙ (A·B)) with B broadcast over A's batch, in plain JS:
// dA[n] = W[n]·Bᵀ, dB = Σn A[n]ᵀ·W[n].
function reference(a: number[], b: number[], w: number[], n: number, m: number, k: number, p: number) {
  const da = new Array<number>(n * m * k).fill(0);
  const db = new Array<number>(k * p).fill(0);
  for (let s = 0; s < n; s++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < p; j++) {
        const wij = w[s * m * p + i * p + j]!;
        for (let t = 0; t < k; t++) {
          da[s * m * k + i * k + t]! += wij * b[t * p + j]!;
          db[t * p + j]! += wij * a[s * m * k + i * k + t]!;
        }
      }
  return { da, db };
}

const values = (len: number, seed: number) => Array.from({ length: len }, (_, i) => Math.sin(seed * 7.3 + i * 1.7));

describe('BatchMatMul gradient with broadcast batch dimensions', () => {
  const [n, m, k, p] = [3, 2, 4, 5];
  const a = values(n * m * k, 1);
  const b = values(k * p, 2);
  const w = values(n * m * p, 3);
  const ref = reference(a, b, w, n, m, k, p);

  it('reduces the gradient of a rank-2 operand over the batch (A [n,m,k] · B [k,p])', async () => {
    const wt = tf.tensor(w, [n, m, p]);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), wt)))([tf.tensor(a, [n, m, k]), tf.tensor(b, [k, p])]);
    await expectClose(da!, tf.tensor(ref.da, [n, m, k]));
    await expectClose(db!, tf.tensor(ref.db, [k, p]));
  });

  it('reduces over a size-1 batch dimension, with transposes (Aᵀ stored, Bᵀ stored)', async () => {
    const aT = tf.transpose(tf.tensor(a, [n, m, k]), [0, 2, 1]); // (n, k, m)
    const bT = tf.reshape(tf.transpose(tf.tensor(b, [k, p])), [1, p, k]); // (1, p, k)
    const wt = tf.tensor(w, [n, m, p]);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, true, true), wt)))([aT, bT]);
    await expectClose(da!, tf.transpose(tf.tensor(ref.da, [n, m, k]), [0, 2, 1]));
    expect(db!.shape).toEqual([1, p, k]);
    await expectClose(db!, tf.reshape(tf.transpose(tf.tensor(ref.db, [k, p])), [1, p, k]));
  });

  it('does not leak', async () => {
    const x = tf.tensor(a, [n, m, k]);
    const y = tf.tensor(b, [k, p]);
    await expectNoLeak(() => tf.grads((u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.matMul(u, v)))([x, y]));
    tf.dispose([x, y]);
  });
});
