import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, NEG, row } from '../testing/rows.js';
import { minNewTokens } from './min-new-tokens.js';

describe('minNewTokens', () => {
  const p = minNewTokens(2, [0, 3]);

  it('masks every EOS id until minNewTokens tokens follow the prompt', () => {
    expect(apply(p, row(1, 1, 1, 1), [5, 6], 2)).toEqual([NEG, 1, 1, NEG]); // 0 generated
    expect(apply(p, row(1, 1, 1, 1), [5, 6, 1], 2)).toEqual([NEG, 1, 1, NEG]); // 1 generated
    expect(apply(p, row(1, 1, 1, 1), [5, 6, 1, 2], 2)).toEqual([1, 1, 1, 1]); // 2 generated
  });

  it('handles V = 1 and all-masked rows', () => {
    expect(apply(minNewTokens(1, [0]), row(4), [9], 1)).toEqual([NEG]);
    expect(apply(p, row(NEG, NEG, NEG, NEG), [1], 1)).toEqual([NEG, NEG, NEG, NEG]);
  });

  it('rejects bad lengths, missing EOS ids and EOS ids outside the vocabulary', () => {
    expect(() => minNewTokens(-1, [0])).toThrow(ConfigError);
    expect(() => minNewTokens(2, [])).toThrow(/eosTokenId/);
    expect(() => apply(minNewTokens(1, [5]), row(0, 0), [1], 1)).toThrow(/eosTokenId: expected token ids in \[0, 1\]/);
  });
});
