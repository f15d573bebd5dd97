import { Rng } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { applyProcessors, type LogitsProcessor } from './processors/processor.js';
import { epsilonCutoff } from './processors/epsilon.js';
import { minP } from './processors/min-p.js';
import { temperature } from './processors/temperature.js';
import { topK } from './processors/top-k.js';
import { topP } from './processors/top-p.js';
import { typicalP } from './processors/typical.js';
import { multinomial } from './sampler.js';
import { NEG, randomRow } from './testing/rows.js';
import { SamplingWarpers } from './warpers.js';

/** A row with masked tokens and runs of tied values, where a fused cut could go wrong. */
function awkwardRow(V: number, seed: number): Float32Array {
  const row = randomRow(V, seed);
  for (let i = 0; i < V; i++) {
    if (i % 7 === 3) row[i] = NEG;
    else if (i % 5 === 0) row[i] = Math.round(row[i]! * 2) / 2; // ties
  }
  return row;
}

describe('SamplingWarpers', () => {
  const configs = [
    { t: 1, k: 0, rest: [] },
    { t: 0.7, k: 0, rest: [] },
    { t: 1, k: 5, rest: [] },
    { t: 0.7, k: 50, rest: () => [topP(0.9)] },
    { t: 1.3, k: 1, rest: () => [topP(0.5)] },
    { t: 0.3, k: 20, rest: () => [topP(0.8), minP(0.05), typicalP(0.9), epsilonCutoff(0.001)] },
    { t: 3, k: 400, rest: () => [minP(0.2)] },
    { t: 1e-3, k: 10, rest: () => [typicalP(0.5)] }, // x / T rounds distinct logits to ties
  ];

  it("equals the dense chain of exported processors in Hugging Face's order, value for value", () => {
    for (const [c, { t, k, rest }] of configs.entries()) {
      for (const V of [1, 13, 1000, 50257]) {
        const row = awkwardRow(V, V + c);
        const restList: LogitsProcessor[] = typeof rest === 'function' ? rest() : rest;
        const dense = [...(t !== 1 ? [temperature(t)] : []), ...(k > 0 ? [topK(k)] : []), ...restList];
        const want = Array.from(applyProcessors(dense, [], Float32Array.from(row), 0));
        const warpers = new SamplingWarpers(t, k, typeof rest === 'function' ? rest() : rest);
        const { values, index } = warpers.apply([], Float32Array.from(row), 0);
        const got = new Array<number>(V).fill(NEG);
        index.forEach((i, j) => (got[i] = values[j]!));
        expect(got).toEqual(want);
        expect(Array.from(index)).toEqual([...index].sort((a, b) => a - b)); // token order
      }
    }
  });

  it('draws the same tokens as sampling the dense row with the same seed', () => {
    const row = awkwardRow(5000, 1);
    const dense = multinomial(new Rng(5));
    const compact = multinomial(new Rng(5));
    const warpers = new SamplingWarpers(0.8, 40, [topP(0.9)]);
    const denseRow = applyProcessors([temperature(0.8), topK(40), topP(0.9)], [], Float32Array.from(row), 0);
    for (let i = 0; i < 200; i++) {
      const { values, index } = warpers.apply([], Float32Array.from(row), 0);
      expect(index[compact(values)]).toBe(dense(denseRow));
    }
  });

  it('returns no tokens for an all-masked row', () => {
    expect(new SamplingWarpers(0.5, 3, [topP(0.5)]).apply([], Float32Array.of(NEG, NEG), 0).values.length).toBe(0);
  });
});
