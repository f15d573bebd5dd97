import { describe, expect, it } from 'vitest';
import { randomRow } from '../testing/rows.js';
import { kthLargest, massThreshold } from './select.js';

describe('kthLargest', () => {
  it('counts repeats and returns -Infinity when there are fewer than k values', () => {
    expect(kthLargest(Float64Array.of(3, 1, 3, 2), 4, 2)).toBe(3);
    expect(kthLargest(Float64Array.of(3, 1, 3, 2), 4, 3)).toBe(2);
    expect(kthLargest(Float64Array.of(3, 1), 2, 3)).toBe(-Infinity);
    expect(kthLargest(Float64Array.of(3, 1, 9, 9), 2, 2)).toBe(1); // only the first n count
  });

  it('agrees with sorting', () => {
    const values = randomRow(5000, 7);
    const sorted = [...values].sort((a, b) => b - a);
    for (const k of [1, 2, 50, 4999, 5000]) expect(kthLargest(values, values.length, k)).toBe(sorted[k - 1]);
  });
});

describe('massThreshold', () => {
  /** The definition: the largest key v whose mass of keys ≥ v reaches the target. */
  function reference(keys: number[], probs: number[], target: number): number {
    const distinct = [...new Set(keys)].sort((a, b) => b - a);
    for (const v of distinct) {
      const mass = keys.reduce((m, k, i) => (k >= v ? m + probs[i]! : m), 0);
      if (mass >= target) return v;
    }
    return -Infinity;
  }

  it('finds the cut with ties and when the target is never reached', () => {
    const keys = [5, 1, 3, 3, 2];
    const probs = [0.1, 0.2, 0.3, 0.1, 0.3];
    for (const target of [0.05, 0.1, 0.2, 0.5, 0.51, 0.8, 1, 1.5]) {
      expect(massThreshold(Float64Array.from(keys), Float64Array.from(probs), 5, target)).toBe(reference(keys, probs, target));
    }
  });

  it('agrees with the definition on random keys with many ties', () => {
    for (let seed = 0; seed < 20; seed++) {
      const raw = randomRow(200, seed);
      const keys = Array.from(raw, (x) => Math.round(x * 3)); // ~25 distinct values
      const probs = Array.from(randomRow(200, seed + 100), (x) => (x + 4) / 8 / 100);
      const target = (seed + 1) / 25;
      expect(massThreshold(Float64Array.from(keys), Float64Array.from(probs), 200, target)).toBe(reference(keys, probs, target));
    }
  });
});
