import { Rng } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { argmax, multinomial } from './sampler.js';
import { NEG, row } from './testing/rows.js';

describe('argmax', () => {
  it('takes the largest score, the lowest id on ties, −1 when everything is masked', () => {
    expect(argmax(row(0.1, 3, -2, 2.9))).toBe(1);
    expect(argmax(row(1, 5, 5, 2))).toBe(1);
    expect(argmax(row(NEG, NEG, -100))).toBe(2);
    expect(argmax(row(7))).toBe(0);
    expect(argmax(row(NEG, NEG))).toBe(-1);
  });
});

describe('multinomial', () => {
  it('never draws masked tokens and handles V = 1 and all-masked rows', () => {
    const draw = multinomial(new Rng(0));
    for (let i = 0; i < 200; i++) expect([1, 3]).toContain(draw(row(NEG, 0, NEG, 2)));
    expect(draw(row(-5))).toBe(0);
    expect(draw(row(NEG, NEG))).toBe(-1);
  });

  it('uses one uniform per draw: token i when the cumulative mass first passes u', () => {
    // softmax([ln 1, ln 3]) = [0.25, 0.75]; the same Rng stream decides every draw.
    const reference = new Rng(9);
    const draw = multinomial(new Rng(9));
    for (let i = 0; i < 50; i++) expect(draw(row(0, Math.log(3)))).toBe(reference.uniform() < 0.25 ? 0 : 1);
  });
});
