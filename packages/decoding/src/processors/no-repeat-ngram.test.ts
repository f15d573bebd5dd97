import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, kept, NEG, row } from '../testing/rows.js';
import { noRepeatNgram } from './no-repeat-ngram.js';

describe('noRepeatNgram', () => {
  const five = row(0, 0, 0, 0, 0);

  it('bans the tokens that would complete an n-gram seen before', () => {
    expect(apply(noRepeatNgram(3), five, [1, 2, 3, 1, 2])).toEqual([0, 0, 0, NEG, 0]); // [1 2 3] seen
    expect(kept(apply(noRepeatNgram(2), five, [1, 2, 3, 2, 4, 2]))).toEqual([0, 1, 2]); // 2 was followed by 3 and 4
    expect(kept(apply(noRepeatNgram(1), five, [1, 2, 2]))).toEqual([0, 3, 4]);
  });

  it('bans nothing before the row is n − 1 tokens long or when the suffix is new', () => {
    expect(apply(noRepeatNgram(3), five, [1])).toEqual([0, 0, 0, 0, 0]);
    expect(apply(noRepeatNgram(4), five, [1, 2, 3, 1, 2])).toEqual([0, 0, 0, 0, 0]);
  });

  it('handles V = 1 and all-masked rows', () => {
    expect(apply(noRepeatNgram(1), row(2), [0])).toEqual([NEG]);
    expect(apply(noRepeatNgram(2), row(NEG, NEG), [0, 0])).toEqual([NEG, NEG]);
  });

  it('rejects n < 1', () => {
    for (const n of [0, -1, 2.5]) expect(() => noRepeatNgram(n)).toThrow(ConfigError);
  });
});
