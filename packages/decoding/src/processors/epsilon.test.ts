import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, kept, logs, NEG, randomRow, row, softmax } from '../testing/rows.js';
import { epsilonCutoff } from './epsilon.js';

describe('epsilonCutoff', () => {
  const probs = logs(0.5, 0.3, 0.15, 0.05);

  it('masks tokens with p < ε', () => {
    expect(kept(apply(epsilonCutoff(0.1), probs))).toEqual([0, 1, 2]);
    expect(kept(apply(epsilonCutoff(0.2), probs))).toEqual([0, 1]);
    expect(apply(epsilonCutoff(0.2), probs)).toEqual([probs[0], probs[1], NEG, NEG]);
  });

  it('always keeps the top token (and minTokensToKeep)', () => {
    expect(kept(apply(epsilonCutoff(0.6), probs))).toEqual([0]);
    expect(kept(apply(epsilonCutoff(0.6), logs(0.4, 0.4, 0.2)))).toEqual([0, 1]);
    expect(kept(apply(epsilonCutoff(0.6, 3), probs))).toEqual([0, 1, 2]);
  });

  it('measures p against the whole row, masked tokens excluded', () => {
    // Unnormalised logits: p = softmax, not exp(logit).
    expect(kept(apply(epsilonCutoff(0.2), row(2, 2, NEG, 0)))).toEqual([0, 1]);
  });

  it('handles V = 1 and all-masked rows', () => {
    expect(apply(epsilonCutoff(0.5), row(-9))).toEqual([-9]);
    expect(apply(epsilonCutoff(0.5), row(NEG))).toEqual([NEG]);
  });

  it('matches the softmax definition on random rows', () => {
    for (const [V, eps] of [[100, 0.01], [1000, 0.002], [20, 0.2]] as const) {
      const logits = randomRow(V, V);
      const p = softmax(logits);
      const top = Math.max(...logits);
      expect(apply(epsilonCutoff(eps), logits)).toEqual(Array.from(logits, (x, i) => (p[i]! < eps && x < top ? NEG : x)));
    }
  });

  it('rejects ε outside (0, 1)', () => {
    for (const e of [0, 1, -0.5, NaN]) expect(() => epsilonCutoff(e)).toThrow(ConfigError);
  });
});
