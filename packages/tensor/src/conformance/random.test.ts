/**
 * Conformance of the seeded `Rng` on every backend. Its numbers are drawn in JavaScript, so what
 * is checked here is what must hold everywhere: a seed fixes the stream, different seeds give
 * different streams, the distributions have the right moments (bounds at about five standard
 * errors, so a correct generator passes and a biased one fails), and a tensor read back from the
 * backend holds exactly the floats the generator produced.
 */
import { describe, expect, it } from 'vitest';
import { disposeAfterEach, expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import { ConfigError, Rng, tf } from '../index.js';

forceDeviceKernels();
disposeAfterEach();

const N = 20_000;

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
}

function variance(v: ArrayLike<number>): number {
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return s / v.length;
}

/** Pearson's χ² of integer samples in [0, k) against the uniform distribution. */
function chiSquare(samples: ArrayLike<number>, k: number): number {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < samples.length; i++) counts[samples[i]!]!++;
  const expected = samples.length / k;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

/** The share of positions where two equally long arrays differ. */
function differing(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n / a.length;
}

describe('Rng determinism', () => {
  it('the same seed gives the same stream, for every kind of draw', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return [rng.nextUint32(), rng.uniform(), rng.int(1000), rng.normal(), ...rng.uniformArray(50), ...rng.normalArray(51)];
    };
    expect(draw(1234)).toEqual(draw(1234));
    expect(new Rng(9).shuffle(Array.from({ length: 20 }, (_, i) => i))).toEqual(new Rng(9).shuffle(Array.from({ length: 20 }, (_, i) => i)));
  });

  it('different seeds, and forks, give different streams', () => {
    const streams = [0, 1, 2, -1, 2 ** 31].map((s) => new Rng(s).uniformArray(1000));
    for (let i = 0; i < streams.length; i++)
      for (let j = i + 1; j < streams.length; j++) expect(differing(streams[i]!, streams[j]!)).toBeGreaterThan(0.99);
    const parent = new Rng(5);
    const [a, b] = [parent.fork(), parent.fork()];
    const rest = parent.uniformArray(1000);
    expect(differing(a.uniformArray(1000), b.uniformArray(1000))).toBeGreaterThan(0.99);
    expect(differing(new Rng(5).fork().uniformArray(1000), rest)).toBeGreaterThan(0.99);
  });

  it('uses the low 32 bits of the seed, and rejects a non-integer seed', () => {
    expect(new Rng(2 ** 32 + 5).uniformArray(10)).toEqual(new Rng(5).uniformArray(10));
    expect(new Rng(-1).uniformArray(10)).toEqual(new Rng(2 ** 32 - 1).uniformArray(10));
    expect(() => new Rng(1.5)).toThrow(ConfigError);
  });
});

describe('Rng distributions', () => {
  it('uniform: in [0, 1), mean ½, variance 1/12, flat histogram, no lag-1 correlation', () => {
    const u = new Rng(11).uniformArray(N);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / N));
    expect(chiSquare(Array.from(u, (v) => Math.floor(v * 10)), 10)).toBeLessThan(40); // χ²(9): p ≈ 4e-6
    let lag = 0;
    for (let i = 1; i < N; i++) lag += (u[i]! - 0.5) * (u[i - 1]! - 0.5);
    expect(Math.abs(lag / (N - 1) / (1 / 12))).toBeLessThan(5 / Math.sqrt(N));
  });

  it('uniform over [low, high)', () => {
    const u = new Rng(12).uniformArray(N, -3, 5);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...u)).toBeLessThan(5);
    expect(Math.abs(mean(u) - 1)).toBeLessThan(5 * Math.sqrt(64 / 12 / N));
  });

  it('int(n): integers in [0, n), uniformly', () => {
    const rng = new Rng(13);
    const draws = Array.from({ length: N }, () => rng.int(7));
    expect(draws.every((d) => Number.isInteger(d) && d >= 0 && d < 7)).toBe(true);
    expect(chiSquare(draws, 7)).toBeLessThan(36); // χ²(6): p ≈ 3e-6
    expect(() => rng.int(0)).toThrow(ConfigError);
  });

  it('normal: mean 0, std 1, 68.3 % within one std, symmetric', () => {
    const z = new Rng(14).normalArray(N);
    expect(Math.abs(mean(z))).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(Math.sqrt(variance(z)) - 1)).toBeLessThan(5 / Math.sqrt(2 * N));
    const inside = Array.from(z).filter((v) => Math.abs(v) < 1).length / N;
    expect(Math.abs(inside - 0.6827)).toBeLessThan(5 * Math.sqrt((0.6827 * 0.3173) / N));
    const positive = Array.from(z).filter((v) => v > 0).length / N;
    expect(Math.abs(positive - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / N));
  });

  it('normal with mean and std', () => {
    const z = new Rng(15).normalArray(N, 3, 2);
    expect(Math.abs(mean(z) - 3)).toBeLessThan((5 * 2) / Math.sqrt(N));
    expect(Math.abs(Math.sqrt(variance(z)) - 2)).toBeLessThan((5 * 2) / Math.sqrt(2 * N));
  });

  it('shuffle: a permutation, not the identity', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(16).shuffle([...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(differing(shuffled, items)).toBeGreaterThan(0.8);
  });
});

describe('Rng tensors on the backend under test', () => {
  it('randomUniform and randomNormal read back exactly the generator floats', async () => {
    const u = new Rng(21).randomUniform([3, 4, 5], -2, 2);
    const z = new Rng(22).randomNormal([2, 50], 1, 0.5);
    expect([u.shape, u.dtype, z.shape, z.dtype]).toEqual([[3, 4, 5], 'float32', [2, 50], 'float32']);
    expect(await u.data()).toEqual(new Rng(21).uniformArray(60, -2, 2));
    expect(await z.data()).toEqual(new Rng(22).normalArray(100, 1, 0.5));
  });

  it('the floats survive a round trip through a backend op', async () => {
    // x + 0 runs a kernel on the backend: the result must still be bit-identical.
    const x = new Rng(23).randomNormal([4, 8]);
    expect(await tf.add(x, 0).data()).toEqual(new Rng(23).normalArray(32));
  });

  it('bernoulli: 0/1 with rate p, p = 0 and p = 1 exact, p outside [0, 1] rejected', async () => {
    const p = 0.3;
    const mask = new Rng(24).bernoulli([100, 200], p);
    expect([mask.shape, mask.dtype]).toEqual([[100, 200], 'float32']);
    const v = await mask.data();
    expect(Array.from(v).every((b) => b === 0 || b === 1)).toBe(true);
    expect(Math.abs(mean(v) - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    expect(await new Rng(24).bernoulli([100, 200], p).data()).toEqual(v);
    expect(Array.from(await new Rng(25).bernoulli([64], 0).data())).toEqual(new Array(64).fill(0));
    expect(Array.from(await new Rng(25).bernoulli([64], 1).data())).toEqual(new Array(64).fill(1));
    expect(() => new Rng(25).bernoulli([4], 1.5)).toThrow(ConfigError);
  });

  it('each draw makes exactly one tensor and leaks none', async () => {
    const rng = new Rng(26);
    const before = tf.memory().numTensors;
    const t = rng.bernoulli([8, 8], 0.5);
    expect(tf.memory().numTensors).toBe(before + 1);
    t.dispose();
    await expectNoLeak(() => rng.randomUniform([8, 8]));
    await expectNoLeak(() => rng.randomNormal([8, 8]));
    await expectNoLeak(() => rng.bernoulli([8, 8], 0.5));
  });
});
