import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, kept, logs, NEG, randomRow, row, softmax } from '../testing/rows.js';
import { typicalP } from './typical.js';

/** Hugging Face's TypicalLogitsWarper, written out. */
function hfTypical(logits: Float32Array, mass: number, minKeep = 1): number[] {
  const p = softmax(logits);
  const entropy = -p.reduce((h, pi) => (pi > 0 ? h + pi * Math.log(pi) : h), 0);
  const shifted = p.map((pi) => Math.abs(-Math.log(pi) - entropy));
  const order = Array.from(logits.keys()).sort((a, b) => shifted[a]! - shifted[b]!);
  let cum = 0;
  let lastInd = 0;
  for (const i of order) if ((cum += p[i]!) < mass) lastInd++;
  const cut = shifted[order[Math.min(lastInd, order.length - 1)]!]!;
  const out = Array.from(logits);
  order.forEach((i, j) => {
    if (shifted[i]! > cut && j >= minKeep) out[i] = NEG;
  });
  return out;
}

describe('typicalP', () => {
  // p = [0.5, 0.3, 0.15, 0.05]: H = 1.1421 nats; |−log p − H| = [0.449, 0.062, 0.755, 1.854], so the
  // typical order is token 1, 0, 2, 3 with cumulative mass 0.3, 0.8, 0.95, 1.
  const probs = logs(0.5, 0.3, 0.15, 0.05);

  it('keeps the most typical tokens, not the most likely, until their mass reaches typicalP', () => {
    expect(kept(apply(typicalP(0.25), probs))).toEqual([1]);
    expect(kept(apply(typicalP(0.5), probs))).toEqual([0, 1]);
    expect(kept(apply(typicalP(0.9), probs))).toEqual([0, 1, 2]);
    expect(kept(apply(typicalP(0.99), probs))).toEqual([0, 1, 2, 3]);
    expect(apply(typicalP(0.25), probs)).toEqual([NEG, probs[1], NEG, NEG]);
  });

  it('keeps equally typical tokens together and keeps at least minTokensToKeep', () => {
    expect(kept(apply(typicalP(0.1), logs(0.25, 0.25, 0.25, 0.25)))).toEqual([0, 1, 2, 3]);
    expect(kept(apply(typicalP(0.25, 3), probs))).toEqual([0, 1, 2]);
  });

  it('handles masked tokens, V = 1 and all-masked rows', () => {
    expect(kept(apply(typicalP(0.25), row(NEG, Math.log(0.5), Math.log(0.3), NEG, Math.log(0.15), Math.log(0.05))))).toEqual([2]);
    expect(apply(typicalP(0.5), row(1))).toEqual([1]);
    expect(apply(typicalP(0.5), row(NEG, NEG))).toEqual([NEG, NEG]);
  });

  it("matches Hugging Face's sort-based warper on random rows", () => {
    for (const [V, mass, seed] of [[40, 0.9, 1], [500, 0.5, 2], [3000, 0.95, 3], [25, 0.2, 4]] as const) {
      const logits = randomRow(V, seed);
      expect(apply(typicalP(mass), logits)).toEqual(hfTypical(logits, mass));
      expect(apply(typicalP(mass, 5), logits)).toEqual(hfTypical(logits, mass, 5));
    }
  });

  it('rejects typicalP outside (0, 1]', () => {
    for (const m of [0, 1.2, NaN]) expect(() => typicalP(m)).toThrow(ConfigError);
  });
});
