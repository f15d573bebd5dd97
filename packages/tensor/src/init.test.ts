import { describe, expect, it } from 'vitest';
import { tf, init, Rng, ConfigError } from '@lmkit/tensor';

const stats = (values: ArrayLike<number>) => {
  const v = Array.from(values);
  const n = v.length;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
  return { mean, std: Math.sqrt(variance), min: Math.min(...v), max: Math.max(...v) };
};

describe('init', () => {
  it('computes fans and gains as torch.nn.init', () => {
    expect(init.fans([8, 4])).toEqual([4, 8]);
    expect(init.fans([8, 4, 3, 3])).toEqual([36, 72]);
    expect(() => init.fans([3])).toThrow(ConfigError);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(2 / 6));
  });

  it('xavier and kaiming have the documented bounds and spreads', async () => {
    const shape = [200, 300];
    const xu = stats(await init.xavierUniform(shape, { rng: new Rng(1) }).data());
    const a = Math.sqrt(6 / 500);
    expect(xu.max).toBeLessThanOrEqual(a);
    expect(xu.min).toBeGreaterThanOrEqual(-a);
    expect(xu.std).toBeCloseTo(a / Math.sqrt(3), 2);
    const xn = stats(await init.xavierNormal(shape, { rng: new Rng(2) }).data());
    expect(xn.std).toBeCloseTo(Math.sqrt(2 / 500), 2);
    const kn = stats(await init.kaimingNormal(shape, { nonlinearity: 'relu', rng: new Rng(3) }).data());
    expect(kn.std).toBeCloseTo(Math.SQRT2 / Math.sqrt(300), 2);
    const ku = stats(await init.kaimingUniform(shape, { mode: 'fan_out', nonlinearity: 'relu', rng: new Rng(4) }).data());
    expect(ku.max).toBeLessThanOrEqual(Math.sqrt(6 / 200));
    expect(ku.std).toBeCloseTo(Math.sqrt(2 / 200), 2);
    expect(Math.abs(kn.mean)).toBeLessThan(0.005);
  });

  it('orthogonal gives orthonormal rows or columns, scaled by gain', async () => {
    for (const [rows, cols] of [[6, 4], [4, 6], [5, 5]] as const) {
      const q = init.orthogonal([rows, cols], { gain: 2, rng: new Rng(rows * 10 + cols) });
      const gram = rows >= cols ? tf.matMul(q, q, true, false) : tf.matMul(q, q, false, true);
      const n = Math.min(rows, cols);
      const want = tf.mul(tf.eye(n), 4);
      const err = await tf.max(tf.abs(tf.sub(gram, want))).data();
      expect(err[0]).toBeLessThan(1e-5);
      tf.dispose([q, gram, want]);
    }
  });

  it('the same seed gives the same tensor; zeros, ones, constant are exact', async () => {
    const a = await init.normal([10], { rng: new Rng(42) }).data();
    const b = await init.normal([10], { rng: new Rng(42) }).data();
    expect(a).toEqual(b);
    expect(Array.from(await init.constant([2], 0.5).data())).toEqual([0.5, 0.5]);
    expect(Array.from(await init.zeros([2]).data())).toEqual([0, 0]);
    expect(Array.from(await init.ones([2]).data())).toEqual([1, 1]);
    expect(() => init.uniform([2], { low: 1, high: 0 })).toThrow(/uniform\(high\)/);
  });
});
