import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, kept, NEG, row } from '../testing/rows.js';
import { badWords } from './bad-words.js';

describe('badWords', () => {
  const six = row(0, 0, 0, 0, 0, 0);
  const p = badWords([[5], [1, 2], [2, 3, 4]]);

  it('always bans one-token words', () => {
    expect(kept(apply(p, six, [0]))).toEqual([0, 1, 2, 3, 4]);
  });

  it('bans the last token of a word whose other tokens end the row', () => {
    expect(kept(apply(p, six, [0, 2, 3]))).toEqual([0, 1, 2, 3]); // 4 (after 2 3) and 5
    expect(kept(apply(p, six, [3, 1]))).toEqual([0, 1, 3, 4]); // 2 (after 1) and 5
    expect(kept(apply(p, six, [2, 1, 3]))).toEqual([0, 1, 2, 3, 4]); // only 5
  });

  it('handles rows shorter than a word, V = 1 and all-masked rows', () => {
    expect(kept(apply(badWords([[0, 1, 2]]), row(0, 0, 0), [1]))).toEqual([0, 1, 2]);
    expect(apply(badWords([[0]]), row(3), [])).toEqual([NEG]);
    expect(apply(p, row(NEG, NEG, NEG, NEG, NEG, NEG), [1])).toEqual(Array(6).fill(NEG));
  });

  it('rejects empty words, bad ids, and ids outside the vocabulary', () => {
    expect(() => badWords([[]])).toThrow(/badWordsIds\[0\]/);
    expect(() => badWords([[1], [-2]])).toThrow(ConfigError);
    expect(() => apply(badWords([[9]]), row(0, 0), [])).toThrow(/badWordsIds: expected token ids in \[0, 1\]/);
  });
});
