/**
 * `Rng`: a seeded pseudo-random generator that runs in JavaScript, so a seed gives the same
 * numbers — and so the same weights, dropout masks and samples — on every backend.
 *
 * The generator is xoshiro128** (Blackman & Vigna, 2018), seeded through SplitMix32; normals use
 * the Box–Muller transform on two uniforms.
 */
import { ConfigError } from './errors.js';
import { tf } from './tf.js';

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  /** @param seed any integer (its low 32 bits are used). */
  constructor(readonly seed: number = 0) {
    if (!Number.isInteger(seed)) throw new ConfigError('Rng(seed)', 'an integer', seed);
    const next = splitmix32(seed);
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new ConfigError('Rng.int(n)', 'a positive integer', n);
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal sample (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A new generator seeded from this one: an independent stream for a submodule or worker. */
  fork(): Rng {
    return new Rng(this.nextUint32() | 0);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** `n` floats, uniform in [low, high). */
  uniformArray(n: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(n);
    const span = high - low;
    for (let i = 0; i < n; i++) out[i] = low + span * this.uniform();
    return out;
  }

  /** `n` floats, normal with the given mean and standard deviation. */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** A float32 tensor, uniform in [low, high). */
  randomUniform(shape: readonly number[], low = 0, high = 1): tf.Tensor {
    return tf.tensor(this.uniformArray(sizeOf(shape), low, high), [...shape], 'float32');
  }

  /** A float32 tensor, normal(mean, std). */
  randomNormal(shape: readonly number[], mean = 0, std = 1): tf.Tensor {
    return tf.tensor(this.normalArray(sizeOf(shape), mean, std), [...shape], 'float32');
  }

  /** A float32 tensor of 0/1 with P(1) = p. */
  bernoulli(shape: readonly number[], p: number): tf.Tensor {
    if (!(p >= 0 && p <= 1)) throw new ConfigError('Rng.bernoulli(p)', 'a probability in [0, 1]', p);
    const n = sizeOf(shape);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform() < p ? 1 : 0;
    return tf.tensor(out, [...shape], 'float32');
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The number of elements of a shape, checking every dimension is a non-negative integer. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ConfigError('shape', 'non-negative integer dimensions', shape);
    n *= d;
  }
  return n;
}
