import { ConfigError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { apply, NEG, row } from '../testing/rows.js';
import { temperature } from './temperature.js';

describe('temperature', () => {
  it('divides every logit by T', () => {
    expect(apply(temperature(2), row(1, 2, -3, 0))).toEqual([0.5, 1, -1.5, 0]);
    expect(apply(temperature(0.5), row(1, -0.25))).toEqual([2, -0.5]);
  });

  it('keeps masked tokens masked, and handles V = 1 and all-masked rows', () => {
    expect(apply(temperature(0.7), row(NEG, 1.4))).toEqual([NEG, Math.fround(1.4) / 0.7].map(Math.fround));
    expect(apply(temperature(3), row(NEG, NEG))).toEqual([NEG, NEG]);
    expect(apply(temperature(3), row(6))).toEqual([2]);
  });

  it('rejects T ≤ 0 and non-finite T, naming the option', () => {
    for (const t of [0, -1, NaN, Infinity]) expect(() => temperature(t)).toThrow(ConfigError);
    expect(() => temperature(0)).toThrow(/temperature: expected a finite number > 0/);
  });
});
