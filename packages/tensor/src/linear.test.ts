import { describe, expect, it } from 'vitest';
import { tf, Linear, ShapeError, ConfigError, Rng } from '@lmkit/tensor';
import { expectClose, expectNoLeak, fromNested, type Nested } from '@lmkit/testing';
import cases from '../fixtures/linear.json' with { type: 'json' };

interface LinearCase {
  name: string;
  in_features: number;
  out_features: number;
  weight: Nested;
  bias?: Nested;
  x: Nested;
  gy: Nested;
  y: Nested;
  dx: Nested;
  dweight: Nested;
  dbias?: Nested;
}

describe('Linear against torch.nn.Linear', () => {
  for (const c of cases as LinearCase[]) {
    it(`${c.name}: output and gradients`, async () => {
      const lin = new Linear({ inFeatures: c.in_features, outFeatures: c.out_features, bias: c.bias !== undefined });
      const dict: Record<string, tf.Tensor> = { weight: fromNested(c.weight) };
      if (c.bias !== undefined) dict.bias = fromNested(c.bias);
      lin.loadStateDict(dict);
      tf.dispose(Object.values(dict));
      const x = fromNested(c.x);
      const gy = fromNested(c.gy);
      const loss = (input: tf.Tensor) => tf.sum(tf.mul(lin.forward(input), gy)) as tf.Scalar;
      const y = lin.forward(x);
      await expectClose(y, c.y, 1e-5);
      const dx = tf.grad(loss)(x);
      await expectClose(dx, c.dx, 1e-5);
      const { grads, value } = tf.variableGrads(() => loss(x));
      await expectClose(grads[lin.weight.name]!, c.dweight, 1e-5);
      if (c.dbias !== undefined) await expectClose(grads[lin.bias!.name]!, c.dbias, 1e-5);
      tf.dispose([x, gy, y, dx, value, ...Object.values(grads)]);
      lin.dispose();
    });
  }
});

describe('Linear', () => {
  it('has PyTorch names, layouts and default init bounds', async () => {
    const lin = new Linear({ inFeatures: 16, outFeatures: 4, rng: new Rng(7) });
    expect(lin.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight', [4, 16]],
      ['bias', [4]],
    ]);
    const w = await lin.weight.data();
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(1 / 4);
    expect(new Set(w).size).toBe(64);
    expect(lin.numParameters()).toBe(68);
    lin.dispose();
  });

  it('the same seed gives the same weights; another seed other weights', async () => {
    const [a, b, c] = [1, 1, 2].map((seed) => new Linear({ inFeatures: 3, outFeatures: 2, rng: new Rng(seed) }));
    expect(await a!.weight.data()).toEqual(await b!.weight.data());
    expect(await a!.weight.data()).not.toEqual(await c!.weight.data());
    [a, b, c].forEach((m) => m!.dispose());
  });

  it('rejects a wrong input size and bad config with typed errors', () => {
    const lin = new Linear({ inFeatures: 3, outFeatures: 2 });
    const x = tf.zeros([2, 4]);
    expect(() => lin.forward(x)).toThrow(ShapeError);
    expect(() => lin.forward(x)).toThrow(/Linear.forward\(x\): expected last dimension 3, got shape \[2, 4\]/);
    expect(() => new Linear({ inFeatures: 0, outFeatures: 2 })).toThrow(ConfigError);
    expect(() => new Linear({ inFeatures: 2.5, outFeatures: 2 })).toThrow(/Linear.inFeatures/);
    x.dispose();
    lin.dispose();
  });

  it('does not leak', async () => {
    const lin = new Linear({ inFeatures: 3, outFeatures: 2 });
    const x = tf.ones([2, 5, 3]);
    await expectNoLeak(() => lin.forward(x));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(lin.forward(x)) as tf.Scalar));
    x.dispose();
    lin.dispose();
  });
});
