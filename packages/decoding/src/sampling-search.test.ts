import { describe, expect, it } from 'vitest';
import { generate } from './generate.js';
import { softmax } from './testing/rows.js';
import { hashTable, TableModel, UnigramModel } from './testing/toy-models.js';

/** Upper 0.1 % points of the chi-square distribution, by degrees of freedom. */
const CHI2_999 = [NaN, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88];

function chiSquare(counts: readonly number[], probs: readonly number[], n: number): number {
  return counts.reduce((sum, c, i) => (probs[i]! > 0 ? sum + (c - n * probs[i]!) ** 2 / (n * probs[i]!) : sum), 0);
}

describe('sampling', () => {
  const table = hashTable(10, 3);

  it('is reproducible with a seed, and the seed matters', async () => {
    const options = { doSample: true, maxNewTokens: 12, topK: 6, temperature: 0.9 } as const;
    const a = await generate(new TableModel(table), [[1], [2]], { ...options, seed: 42 });
    const b = await generate(new TableModel(table), [[1], [2]], { ...options, seed: 42 });
    const c = await generate(new TableModel(table), [[1], [2]], { ...options, seed: 43 });
    expect(a.sequences).toEqual(b.sequences);
    expect(c.sequences).not.toEqual(a.sequences);
  });

  it('numReturnSequences repeats each prompt, rows in prompt order', async () => {
    const model = new TableModel(table);
    const out = await generate(model, [[1], [2, 3]], { doSample: true, seed: 0, maxNewTokens: 3, numReturnSequences: 3 });
    expect(model.calls[0]).toEqual([[1], [1], [1], [2, 3], [2, 3], [2, 3]]);
    expect(out.sequences.map((s) => s.slice(0, s.length - 3))).toEqual([[1], [1], [1], [2, 3], [2, 3], [2, 3]]);
  });

  it('draws with the frequencies of the processed distribution (temperature, top-k, top-p; chi-square)', async () => {
    // Unigram logits; processed: softmax(x / 0.7), top-5, then the nucleus of 0.85 — worked out here.
    const logits = [2.0, 1.6, 1.5, 1.1, 0.9, 0.3, 0.0, -0.4];
    const scaled = logits.map((x) => Math.fround(Math.fround(x) / 0.7));
    const top5 = scaled.map((x, i) => (i < 5 ? x : -Infinity));
    const p5 = softmax(top5);
    // Nucleus 0.85: keep a token while the mass ranked above it is < 0.85.
    let above = 0;
    const nucleus = top5.map((x, i) => {
      const keep = above < 0.85;
      above += p5[i]!;
      return keep ? x : -Infinity;
    });
    const want = softmax(nucleus);
    expect(want.filter((p) => p > 0).length).toBe(4); // the cut is inside the top 5

    const rows = 4000;
    const steps = 5;
    const out = await generate(new UnigramModel(logits), [0], {
      doSample: true, seed: 7, temperature: 0.7, topK: 5, topP: 0.85, maxNewTokens: steps, numReturnSequences: rows,
    });
    const counts = new Array<number>(logits.length).fill(0);
    for (const s of out.sequences) for (const t of s.slice(1)) counts[t]!++;
    const n = rows * steps;
    const kept = want.filter((p) => p > 0).length;
    expect(counts.slice(kept)).toEqual([0, 0, 0, 0]); // masked tokens are never drawn
    expect(chiSquare(counts, want, n)).toBeLessThan(CHI2_999[kept - 1]!);
    // The same counts are far from the unprocessed distribution: the test can tell them apart.
    expect(chiSquare(counts.map((c) => c + 1), softmax(logits), n)).toBeGreaterThan(100 * CHI2_999[7]!);
  });

  it('outputScores: sampled tokens carry their log-probability under the processed distribution', async () => {
    const out = await generate(new UnigramModel([0, Math.log(3)]), [0], { doSample: true, seed: 1, maxNewTokens: 20, outputScores: true, temperature: 0.5 });
    // softmax([0, 2 ln 3]) = [0.1, 0.9].
    out.sequences[0]!.slice(1).forEach((t, i) => expect(out.tokenLogprobs![0]![i]).toBeCloseTo(Math.log(t === 1 ? 0.9 : 0.1), 5));
  });
});
