import { describe, expect, it } from 'vitest';
import { tf, RMSNorm, ShapeError } from '@lmkit/tensor';
import { expectClose, expectNoLeak } from '@lmkit/testing';

// Reference: y = x / sqrt(mean(x²) + eps) · w over the last dimension, in float64 JS; its gradient
// w.r.t. x is (w ⊙ g)/r − x · Σ(w ⊙ g ⊙ x) / (n · r³) with r = sqrt(mean(x²) + eps).
function reference(x: number[][], w: number[], g: number[][], eps: number) {
  const y: number[][] = [];
  const dx: number[][] = [];
  const dw = w.map(() => 0);
  for (const [i, row] of x.entries()) {
    const n = row.length;
    const r = Math.sqrt(row.reduce((s, v) => s + v * v, 0) / n + eps);
    y.push(row.map((v, j) => (v / r) * w[j]!));
    const wg = row.map((_, j) => w[j]! * g[i]![j]!);
    const dot = row.reduce((s, v, j) => s + wg[j]! * v, 0);
    dx.push(row.map((v, j) => wg[j]! / r - (v * dot) / (n * r ** 3)));
    row.forEach((v, j) => (dw[j] = dw[j]! + (g[i]![j]! * v) / r));
  }
  return { y, dx, dw };
}

describe('RMSNorm', () => {
  it('matches the reference formula, forward and gradients', async () => {
    const x = [[1, -2, 3, 0.5], [0.1, 0.2, -0.3, 4]];
    const w = [0.5, -1, 2, 1.5];
    const g = [[1, 0.5, -1, 2], [-0.5, 1, 1, 0.25]];
    const eps = 1e-6;
    const ref = reference(x, w, g, eps);
    const norm = new RMSNorm({ normalizedShape: 4, eps });
    const wt = tf.tensor(w);
    norm.loadStateDict({ weight: wt });
    const xt = tf.tensor(x);
    const gt = tf.tensor(g);
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(norm.forward(input), gt)) as tf.Scalar;
    await expectClose(norm.forward(xt), ref.y, 1e-5);
    await expectClose(tf.grad(loss)(xt), ref.dx, 1e-5);
    const { grads } = tf.variableGrads(() => loss(xt));
    await expectClose(grads[norm.weight!.name]!, ref.dw, 1e-5);
    tf.dispose([wt, xt, gt]);
    norm.dispose();
  });

  it('defaults to float32 machine epsilon, checks shapes, does not leak', async () => {
    const norm = new RMSNorm({ normalizedShape: [2, 3] });
    expect(norm.eps).toBe(2 ** -23);
    const bad = tf.zeros([2, 3, 2]);
    expect(() => norm.forward(bad)).toThrow(ShapeError);
    const x = tf.ones([4, 2, 3]);
    await expectNoLeak(() => norm.forward(x));
    tf.dispose([bad, x]);
    norm.dispose();
  });
});
