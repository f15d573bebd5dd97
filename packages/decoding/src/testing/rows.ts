/** Helpers for processor tests (test-only, not built). */
import type { LogitsProcessor } from '../processors/processor.js';

export const NEG = -Infinity;

/** A logits row from numbers. */
export const row = (...values: number[]): Float32Array => Float32Array.from(values);

/** A row of log-probabilities (float32) from probabilities. */
export const logs = (...probs: number[]): Float32Array => Float32Array.from(probs, (p) => Math.log(p));

/** Runs `p` on a copy of `logits` and returns the result as a plain array. */
export function apply(p: LogitsProcessor, logits: Float32Array, ids: readonly number[] = [], promptLength = 0): number[] {
  return Array.from(p(ids, Float32Array.from(logits), promptLength));
}

/** Which tokens are still unmasked. */
export function kept(values: ArrayLike<number>): number[] {
  return Array.from(values).flatMap((x, i) => (x === -Infinity ? [] : [i]));
}

/** `n` distinct pseudo-random logits in [-4, 4). */
export function randomRow(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 8 - 4;
  }
  return out;
}

/** Softmax in float64. */
export function softmax(values: ArrayLike<number>): number[] {
  const xs = Array.from(values);
  const max = Math.max(...xs);
  const e = xs.map((x) => (x === -Infinity ? 0 : Math.exp(x - max)));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}
