import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, kept, logs, NEG, randomRow, row, softmax } from '../testing/rows.js';
import { minP } from './min-p.js';

describe('minP', () => {
  const probs = logs(0.5, 0.3, 0.15, 0.05);

  it('masks tokens with p < minP · p_max', () => {
    expect(kept(apply(minP(0.2), probs))).toEqual([0, 1, 2]); // cut at 0.1
    expect(kept(apply(minP(0.5), probs))).toEqual([0, 1]); // cut at 0.25
    expect(kept(apply(minP(0.7), probs))).toEqual([0]); // cut at 0.35
    expect(apply(minP(0.5), probs)).toEqual([probs[0], probs[1], NEG, NEG]);
  });

  it('is off at 0, keeps only the top (and its ties) at 1', () => {
    expect(kept(apply(minP(0), probs))).toEqual([0, 1, 2, 3]);
    expect(kept(apply(minP(1), probs))).toEqual([0]);
    expect(kept(apply(minP(1), logs(0.4, 0.4, 0.2)))).toEqual([0, 1]);
  });

  it('keeps at least minTokensToKeep', () => {
    expect(kept(apply(minP(0.9, 3), probs))).toEqual([0, 1, 2]);
  });

  it('handles V = 1 and all-masked rows', () => {
    expect(apply(minP(0.5), row(-2))).toEqual([-2]);
    expect(apply(minP(0.5), row(NEG, NEG))).toEqual([NEG, NEG]);
  });

  it("matches Hugging Face's softmax definition on random rows", () => {
    for (const [V, m] of [[100, 0.05], [2000, 0.1], [30, 0.5]] as const) {
      const logits = randomRow(V, V);
      const p = softmax(logits);
      const top = Math.max(...p);
      expect(apply(minP(m), logits)).toEqual(Array.from(logits, (x, i) => (p[i]! < m * top ? NEG : x)));
    }
  });

  it('rejects minP outside [0, 1]', () => {
    for (const m of [-0.1, 1.5, NaN]) expect(() => minP(m)).toThrow(ConfigError);
  });
});
