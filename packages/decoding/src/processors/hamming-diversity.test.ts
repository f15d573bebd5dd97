import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, NEG, row } from '../testing/rows.js';
import { hammingDiversity } from './hamming-diversity.js';

describe('hammingDiversity', () => {
  it('subtracts the penalty once per earlier-group beam that chose the token', () => {
    expect(apply(hammingDiversity(0.5, [2, 2, 5]), row(0, 0, 0, 0, 0, 0))).toEqual([0, 0, -1, 0, 0, -0.5]);
    expect(apply(hammingDiversity(0.5, []), row(1, 2))).toEqual([1, 2]);
  });

  it('handles V = 1 and all-masked rows', () => {
    expect(apply(hammingDiversity(2, [0, 0]), row(1))).toEqual([-3]);
    expect(apply(hammingDiversity(2, [1]), row(NEG, NEG))).toEqual([NEG, NEG]);
  });

  it('rejects negative penalties', () => {
    expect(() => hammingDiversity(-1, [])).toThrow(ConfigError);
  });
});
