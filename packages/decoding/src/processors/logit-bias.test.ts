import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, NEG, row } from '../testing/rows.js';
import { logitBias } from './logit-bias.js';

describe('logitBias', () => {
  it('adds each bias to its token; −∞ bans it', () => {
    expect(apply(logitBias({ 1: 2.5, 3: -Infinity, 0: -1 }), row(0, 1, 2, 3))).toEqual([-1, 3.5, 2, NEG]);
  });

  it('handles V = 1 and all-masked rows', () => {
    expect(apply(logitBias({ 0: 1 }), row(1))).toEqual([2]);
    expect(apply(logitBias({ 0: 5 }), row(NEG, NEG))).toEqual([NEG, NEG]);
  });

  it('rejects non-integer ids, non-numbers, +∞, and ids outside the vocabulary', () => {
    expect(() => logitBias({ 1.5: 1 } as Record<number, number>)).toThrow(ConfigError);
    expect(() => logitBias({ 1: Infinity })).toThrow(/logitBias\[1\]: expected a finite number or -Infinity/);
    expect(() => logitBias({ 1: NaN })).toThrow(ConfigError);
    expect(() => apply(logitBias({ 7: 1 }), row(0, 0))).toThrow(/logitBias: expected token ids in \[0, 1\]/);
  });
});
