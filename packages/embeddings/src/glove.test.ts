import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@lmkit/tensor';
import { BACKEND } from '@lmkit/testing';
import { CorpusError } from './errors.js';
import { fitGloVe, trainGloVe } from './glove.js';
import { SparseMatrix } from './sparse-matrix.js';

/** GloVe is plain JavaScript: one backend is enough. */
const pureJs = describe.skipIf(BACKEND !== 'cpu');

const GROUPS = [
  ['cat', 'dog', 'horse', 'cow'],
  ['apple', 'pear', 'plum', 'fig'],
  ['car', 'bus', 'train', 'truck'],
];
const FRAMES = [
  ['the', 'animal', 'eats', 'in', 'the', 'barn'],
  ['she', 'picked', 'a', 'ripe', 'fruit', 'from', 'the', 'tree'],
  ['we', 'took', 'the', 'vehicle', 'down', 'the', 'road'],
];

function corpus(n: number): string[][] {
  const rng = new Rng(5);
  return Array.from({ length: n }, () => {
    const g = rng.int(3);
    const slot = ['animal', 'fruit', 'vehicle'][g]!;
    return FRAMES[g]!.map((w) => (w === slot ? GROUPS[g]![rng.int(4)]! : w));
  });
}

pureJs('GloVe', () => {
  it('fits log co-occurrences: wᵢ·w̃ⱼ + bᵢ + b̃ⱼ → log Xᵢⱼ, the weighted cost falling', () => {
    const entries = new Map<number, number>();
    const rng = new Rng(2);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (i !== j) entries.set(i * 6 + j, 1 + rng.int(50));
    const x = SparseMatrix.fromEntries(6, 6, entries);
    const costs: number[] = [];
    const m = fitGloVe(x, { vectorSize: 8, epochs: 400, xMax: 10, seed: 3, onEpoch: (_, c) => costs.push(c) });
    expect(costs[399]!).toBeLessThan(costs[0]! / 50);
    x.forEach((i, j, count) => {
      let fit = m.b[i]! + m.bContext[j]!;
      for (let k = 0; k < 8; k++) fit += m.w[i * 8 + k]! * m.wContext[j * 8 + k]!;
      expect(Math.abs(fit - Math.log(count))).toBeLessThan(0.1);
    });
  });

  it('puts words that share contexts next to each other, the same for one seed', async () => {
    const opts = { vectorSize: 20, window: 4, minCount: 1, epochs: 100, seed: 7 };
    const kv = await trainGloVe(corpus(600), opts);
    const all = GROUPS.flat();
    for (const group of GROUPS) {
      for (const w of group) {
        const nearest = all.filter((o) => o !== w).sort((a, b) => kv.similarity(w, b) - kv.similarity(w, a))[0]!;
        expect(group).toContain(nearest);
      }
    }
    expect((await trainGloVe(corpus(600), opts)).vectors).toEqual(kv.vectors);
  });

  it('rejects an empty corpus, a minCount that removes every word and bad options', async () => {
    await expect(trainGloVe([])).rejects.toThrow(CorpusError);
    await expect(trainGloVe('a b', { minCount: 2 })).rejects.toThrow(/minCount 2 removes every word/);
    await expect(trainGloVe('a b', { minCount: 1, xMax: 0 })).rejects.toThrow(/trainGloVe.xMax/);
    await expect(trainGloVe('a b', { minCount: 1, window: 0 })).rejects.toThrow(ConfigError);
  });
});
