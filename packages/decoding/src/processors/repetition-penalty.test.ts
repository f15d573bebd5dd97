import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, NEG, row } from '../testing/rows.js';
import { repetitionPenalty } from './repetition-penalty.js';

describe('repetitionPenalty', () => {
  it('divides positive and multiplies negative scores of seen tokens, once per token', () => {
    expect(apply(repetitionPenalty(2), row(2, -1, 0.5, 3), [0, 1, 1, 1])).toEqual([1, -2, 0.5, 3]);
    expect(apply(repetitionPenalty(0.5), row(2, -1, 0.5, 3), [3, 0, 1, 3])).toEqual([4, -0.5, 0.5, 6]);
  });

  it('counts the prompt too (HF penalises all of input_ids)', () => {
    expect(apply(repetitionPenalty(2), row(4, 4), [1], 1)).toEqual([4, 2]);
  });

  it('leaves zero and masked scores as they are, and handles V = 1', () => {
    expect(apply(repetitionPenalty(3), row(0, NEG), [0, 1])).toEqual([0, NEG]);
    expect(apply(repetitionPenalty(3), row(6), [0, 0])).toEqual([2]);
  });

  it('penalises once per call however many calls a processor serves', () => {
    const p = repetitionPenalty(2);
    for (let i = 0; i < 3; i++) expect(apply(p, row(8, 8), [1, 1])).toEqual([8, 4]);
  });

  it('rejects penalties ≤ 0 and token ids outside the vocabulary', () => {
    for (const x of [0, -1, NaN, Infinity]) expect(() => repetitionPenalty(x)).toThrow(ConfigError);
    expect(() => apply(repetitionPenalty(2), row(1, 2), [2])).toThrow(/token ids in \[0, 1\]/);
  });
});
