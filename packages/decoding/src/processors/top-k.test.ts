import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, kept, NEG, randomRow, row } from '../testing/rows.js';
import { topK } from './top-k.js';

describe('topK', () => {
  it('keeps the k largest logits', () => {
    expect(apply(topK(2), row(1, 5, 3, 4, 2))).toEqual([NEG, 5, NEG, 4, NEG]);
    expect(kept(apply(topK(3), row(1, 5, 3, 4, 2)))).toEqual([1, 2, 3]);
    expect(kept(apply(topK(1), row(0, 0.5, -1)))).toEqual([1]);
  });

  it('keeps every token tied with the k-th (HF: only scores below it are removed)', () => {
    expect(kept(apply(topK(2), row(4, 4, 4, 1)))).toEqual([0, 1, 2]);
    expect(kept(apply(topK(2), row(5, 3, 3, 1)))).toEqual([0, 1, 2]);
  });

  it('keeps at least minTokensToKeep', () => {
    expect(kept(apply(topK(1, 3), row(1, 5, 3, 4, 2)))).toEqual([1, 2, 3]);
  });

  it('leaves rows with k or fewer unmasked tokens, V = 1 and all-masked rows alone', () => {
    expect(apply(topK(5), row(1, 2, 3))).toEqual([1, 2, 3]);
    expect(apply(topK(2), row(NEG, 2, NEG))).toEqual([NEG, 2, NEG]);
    expect(apply(topK(3), row(7))).toEqual([7]);
    expect(apply(topK(1), row(NEG, NEG, NEG))).toEqual([NEG, NEG, NEG]);
  });

  it('matches the sort-based definition on random rows', () => {
    for (const [V, k] of [[100, 7], [1000, 50], [50, 49], [64, 1]] as const) {
      const logits = randomRow(V, V + k);
      const threshold = [...logits].sort((a, b) => b - a)[k - 1]!;
      expect(apply(topK(k), logits)).toEqual(Array.from(logits, (x) => (x < threshold ? NEG : x)));
    }
  });

  it('rejects k < 1 and non-integers', () => {
    for (const k of [0, -3, 1.5, NaN]) expect(() => topK(k)).toThrow(ConfigError);
    expect(() => topK(2, 0)).toThrow(/minTokensToKeep/);
  });
});
