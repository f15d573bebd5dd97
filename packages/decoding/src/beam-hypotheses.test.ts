import { describe, expect, it } from 'vitest';
import { BeamHypotheses } from './beam-hypotheses.js';

describe('BeamHypotheses', () => {
  it('normalises by generated length ** lengthPenalty and keeps the best numBeams', () => {
    const h = new BeamHypotheses(2, 2, false, 10);
    h.add([1], -4, 2, undefined); // −1
    h.add([2], -2, 1, undefined); // −2
    h.add([3], -1.5, 3, undefined); // −1/6: pushes out −2
    expect(h.beams.map((b) => b.ids[0])).toEqual([1, 3]);
    expect(h.beams.map((b) => b.score)).toEqual([-1, -1.5 / 9]);
    h.add([4], -8, 2, undefined); // −2: worse than the worst kept, ignored
    expect(h.beams.length).toBe(2);
  });

  it('drops the earliest-added of equally bad hypotheses (HF sorts (score, index))', () => {
    const h = new BeamHypotheses(2, 1, false, 10);
    h.add([1], -2, 1, undefined);
    h.add([2], -2, 1, undefined);
    h.add([3], -1, 1, undefined);
    expect(h.beams.map((b) => b.ids[0])).toEqual([2, 3]);
  });

  it('isDone: never before numBeams hypotheses; then per early-stopping mode', () => {
    const make = (mode: boolean | 'never', lp = 1) => {
      const h = new BeamHypotheses(1, lp, mode, 8);
      h.add([1], -3, 3, undefined); // score −1
      return h;
    };
    expect(new BeamHypotheses(1, 1, true, 8).isDone(-1, 1)).toBe(false);
    expect(make(true).isDone(-0.1, 4)).toBe(true);
    // false: the best live sum −3.6 at 4 tokens scores −0.9 > −1: not done; −5 (−1.25) is.
    expect(make(false).isDone(-3.6, 4)).toBe(false);
    expect(make(false).isDone(-5, 4)).toBe(true);
    // 'never' with lp > 0 bounds by the longest length, 8: −5 / 8 > −1 could still win.
    expect(make('never').isDone(-5, 4)).toBe(false);
    expect(make('never').isDone(-9, 4)).toBe(true);
    // 'never' with lp ≤ 0 uses the current length, like false.
    expect(make('never', 0).isDone(-2, 4)).toBe(false);
  });
});
