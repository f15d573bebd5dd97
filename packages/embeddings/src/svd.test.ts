import { describe, expect, it } from 'vitest';
import { Rng } from '@lmkit/tensor';
import { BACKEND } from '@lmkit/testing';
import fixture from '../fixtures/count.json' with { type: 'json' };
import { DenseMatrix } from './sparse-matrix.js';
import { truncatedSvd } from './svd.js';

interface SvdCase {
  a: number[][];
  k: number;
  s: number[];
  u: number[][];
  v: number[][];
}

/** Compares factors column by column up to sign (numpy leaves signs free). */
function expectFactor(got: Float64Array, want: number[][], k: number, tol: number): void {
  for (let j = 0; j < k; j++) {
    const col = want.map((row) => row[j]!);
    const sign = Math.sign(col.reduce((a, w, i) => a + w * got[i * k + j]!, 0));
    col.forEach((w, i) => expect(Math.abs(sign * got[i * k + j]! - w)).toBeLessThan(tol));
  }
}

describe.skipIf(BACKEND !== 'cpu')('truncatedSvd against numpy.linalg.svd', () => {
  // PPMI's spectrum is flat (σ₄ = 3.86, σ₅ = 3.76): power iterations converge like (σ_{l+1}/σ_k)^(2q+1).
  const runs: [string, SvdCase, number][] = [
    ['ppmi (flat spectrum, 12 power iterations)', fixture.svd_ppmi, 12],
    ['decaying (default 4 power iterations)', fixture.svd_decaying, 4],
  ];
  for (const [name, c, powerIterations] of runs) {
    it(`${name}: the k leading singular values and vectors`, () => {
      const a = new DenseMatrix(c.a.length, c.a[0]!.length, c.a.flat());
      const { u, s, v } = truncatedSvd(a, c.k, { rng: new Rng(1), powerIterations });
      Array.from(s).forEach((x, i) => expect(Math.abs(x - c.s[i]!)).toBeLessThan(1e-7 * c.s[0]!));
      expectFactor(u, c.u, c.k, 1e-5);
      expectFactor(v, c.v, c.k, 1e-5);
    });
  }

  it('is deterministic for a seed, with the largest entry of each column of U positive', () => {
    const c = fixture.svd_decaying;
    const a = new DenseMatrix(60, 40, c.a.flat());
    const first = truncatedSvd(a, 3, { rng: new Rng(5) });
    expect(truncatedSvd(a, 3, { rng: new Rng(5) })).toEqual(first);
    for (let j = 0; j < 3; j++) {
      const col = Array.from({ length: 60 }, (_, i) => first.u[i * 3 + j]!);
      expect(col.reduce((big, x) => (Math.abs(x) > Math.abs(big) ? x : big), 0)).toBeGreaterThan(0);
    }
  });

  it('rejects k outside [1, min(rows, cols)]', () => {
    const a = new DenseMatrix(3, 2, [1, 2, 3, 4, 5, 6]);
    expect(() => truncatedSvd(a, 3)).toThrow(/truncatedSvd\(k\): expected an integer in \[1, 2\]/);
  });
});
