import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, NEG, row } from '../testing/rows.js';
import { frequencyPenalty, presencePenalty } from './presence-frequency.js';

describe('presencePenalty and frequencyPenalty', () => {
  // Prompt [0], generated [1, 1, 2]: c = [0, 2, 1, 0] (the prompt's token 0 does not count).
  const ids = [0, 1, 1, 2];

  it('frequency: subtracts penalty · count', () => {
    expect(apply(frequencyPenalty(0.5), row(1, 1, 1, 1), ids, 1)).toEqual([1, 0, 0.5, 1]);
    expect(apply(frequencyPenalty(-1), row(0, 0, 0, 0), ids, 1)).toEqual([0, 2, 1, 0]);
  });

  it('presence: subtracts penalty once per generated token', () => {
    expect(apply(presencePenalty(0.25), row(1, 1, 1, 1), ids, 1)).toEqual([1, 0.75, 0.75, 1]);
  });

  it('counts every token when promptLength is 0, and is stateless between calls', () => {
    const p = frequencyPenalty(1);
    expect(apply(p, row(0, 0, 0), [0, 1, 1])).toEqual([-1, -2, 0]);
    expect(apply(p, row(0, 0, 0), [0, 1, 1])).toEqual([-1, -2, 0]);
  });

  it('handles masked tokens, V = 1 and no generated tokens', () => {
    expect(apply(presencePenalty(1), row(NEG, 3), [0, 1])).toEqual([NEG, 2]);
    expect(apply(frequencyPenalty(1), row(5), [0, 0, 0])).toEqual([2]);
    expect(apply(frequencyPenalty(1), row(5, 5), [0, 1], 2)).toEqual([5, 5]);
  });

  it('rejects penalties outside [-2, 2]', () => {
    for (const x of [2.5, -3, NaN]) {
      expect(() => presencePenalty(x)).toThrow(ConfigError);
      expect(() => frequencyPenalty(x)).toThrow(/frequencyPenalty: expected a number in \[-2, 2\]/);
    }
  });
});
