import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, kept, logs, NEG, randomRow, row, softmax } from '../testing/rows.js';
import { topP } from './top-p.js';

/** Hugging Face's TopPLogitsWarper, written out: ascending sort, cumsum, remove cum ≤ 1 − p. */
function hfTopP(logits: Float32Array, p: number, minKeep = 1): number[] {
  const order = Array.from(logits.keys()).sort((a, b) => logits[a]! - logits[b]!);
  const probs = softmax(order.map((i) => logits[i]!));
  const out = Array.from(logits);
  let cum = 0;
  order.forEach((i, j) => {
    cum += probs[j]!;
    if (cum <= 1 - p && j < order.length - minKeep) out[i] = NEG;
  });
  return out;
}

describe('topP', () => {
  const probs = logs(0.5, 0.3, 0.15, 0.05);

  it('keeps the smallest most-likely set whose mass reaches p', () => {
    expect(kept(apply(topP(0.79), probs))).toEqual([0, 1]);
    expect(kept(apply(topP(0.81), probs))).toEqual([0, 1, 2]);
    expect(kept(apply(topP(0.3), probs))).toEqual([0]);
    expect(kept(apply(topP(0.96), probs))).toEqual([0, 1, 2, 3]);
    expect(kept(apply(topP(1), probs))).toEqual([0, 1, 2, 3]);
  });

  it('keeps unmasked values as they were', () => {
    expect(apply(topP(0.79), probs)).toEqual([probs[0], probs[1], NEG, NEG]);
  });

  it('keeps every token tied with the last one kept', () => {
    expect(kept(apply(topP(0.3), logs(0.25, 0.25, 0.25, 0.25)))).toEqual([0, 1, 2, 3]);
    expect(kept(apply(topP(0.5), logs(0.4, 0.2, 0.2, 0.2)))).toEqual([0, 1, 2, 3]);
    expect(kept(apply(topP(0.35), logs(0.4, 0.2, 0.2, 0.2)))).toEqual([0]);
  });

  it('keeps at least minTokensToKeep', () => {
    expect(kept(apply(topP(0.1, 3), probs))).toEqual([0, 1, 2]);
  });

  it('handles masked tokens, V = 1 and all-masked rows', () => {
    expect(kept(apply(topP(0.79), row(NEG, Math.log(0.5), NEG, Math.log(0.3), Math.log(0.2))))).toEqual([1, 3]);
    expect(apply(topP(0.5), row(3))).toEqual([3]);
    expect(apply(topP(0.5), row(NEG, NEG))).toEqual([NEG, NEG]);
  });

  it("matches Hugging Face's sort-and-cumsum on random rows (distinct values)", () => {
    for (const [V, p, seed] of [[50, 0.9, 1], [1000, 0.5, 2], [5000, 0.95, 3], [20, 0.1, 4], [300, 0.99, 5]] as const) {
      const logits = randomRow(V, seed);
      expect(apply(topP(p), logits)).toEqual(hfTopP(logits, p));
      expect(apply(topP(p, 4), logits)).toEqual(hfTopP(logits, p, 4));
    }
  });

  it('rejects p outside (0, 1]', () => {
    for (const p of [0, -0.1, 1.01, NaN]) expect(() => topP(p)).toThrow(ConfigError);
    expect(() => topP(0)).toThrow(/topP: expected a number in \(0, 1\], got 0/);
  });
});
