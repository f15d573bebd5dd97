/**
 * Truncated SVD, A ≈ U·diag(s)·Vᵀ with the k largest singular values, by the randomized range
 * finder with power iterations of Halko, Martinsson & Tropp (2011), "Finding Structure with
 * Randomness", Algorithms 4.4 and 5.1, and a one-sided Jacobi SVD (Hestenes, 1958) of the small
 * projected matrix. A is used only through products with vectors, so sparse count matrices with
 * hundreds of thousands of rows never become dense.
 *
 * Porting note: signs follow scikit-learn's `svd_flip` (the largest-magnitude entry of each column
 * of U is positive), so a seed gives the same factors everywhere; numpy's SVD leaves signs free.
 */
import { Rng, checkInt } from '@lmkit/tensor';
import type { MatrixOperator } from './sparse-matrix.js';

export interface TruncatedSvdOptions {
  /** Extra random directions beyond k. Default 10. */
  readonly oversamples?: number;
  /** Power iterations (each sharpens a slowly decaying spectrum). Default 4. */
  readonly powerIterations?: number;
  /** Draws the random test matrix. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export interface TruncatedSvd {
  /** Left singular vectors, row-major [rows, k]. */
  readonly u: Float64Array;
  /** The k largest singular values, descending. */
  readonly s: Float64Array;
  /** Right singular vectors, row-major [cols, k]. */
  readonly v: Float64Array;
  readonly k: number;
}

/** The k leading singular triplets of `a` (k ≤ min(rows, cols)). */
export function truncatedSvd(a: MatrixOperator, k: number, options: TruncatedSvdOptions = {}): TruncatedSvd {
  const { rows: m, cols: n } = a;
  checkInt('truncatedSvd(k)', k, 1, Math.min(m, n));
  const p = checkInt('truncatedSvd.oversamples', options.oversamples ?? 10, 0);
  const iterations = checkInt('truncatedSvd.powerIterations', options.powerIterations ?? 4, 0);
  const rng = options.rng ?? new Rng(0);
  const l = Math.min(k + p, m, n);
  // Range finder: Q (l columns of length m) spans A·Ω, sharpened by (A·Aᵀ)^iterations.
  let q = orthonormalize(Array.from({ length: l }, () => a.multiply(Float64Array.from(rng.normalArray(n)))));
  for (let i = 0; i < iterations; i++) {
    const z = orthonormalize(q.map((col) => a.multiplyTransposed(col)));
    q = orthonormalize(z.map((col) => a.multiply(col)));
  }
  // Bᵀ = Aᵀ·Q [n, l]; its SVD Bᵀ = W·Σ·Yᵀ gives A ≈ Q·B = (Q·Y)·Σ·Wᵀ.
  const bt = q.map((col) => a.multiplyTransposed(col));
  const { w, sigma, y } = jacobiSvd(bt);
  const order = Array.from(sigma.keys()).sort((i, j) => sigma[j]! - sigma[i]!).slice(0, k);
  const u = new Float64Array(m * k);
  const v = new Float64Array(n * k);
  const s = new Float64Array(k);
  order.forEach((src, j) => {
    s[j] = sigma[src]!;
    // Column j of U = Q·y[:, src]; of V = w[src].
    const uj = new Float64Array(m);
    for (let t = 0; t < l; t++) axpy(y[t * l + src]!, q[t]!, uj);
    let big = 0;
    for (let i = 0; i < m; i++) if (Math.abs(uj[i]!) > Math.abs(big)) big = uj[i]!;
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < m; i++) u[i * k + j] = sign * uj[i]!;
    const wj = w[src]!;
    for (let i = 0; i < n; i++) v[i * k + j] = sign * wj[i]!;
  });
  return { u, s, v, k };
}

/** y += alpha·x. */
function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = y[i]! + alpha * x[i]!;
}

function dot(x: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * y[i]!;
  return sum;
}

/**
 * Orthonormal columns spanning `cols` (Gram–Schmidt, each column orthogonalised twice, which
 * keeps it orthogonal to working precision); a column that vanishes becomes zero.
 */
function orthonormalize(cols: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const c of cols) {
    const x = Float64Array.from(c);
    const norm0 = Math.sqrt(dot(x, x));
    for (let pass = 0; pass < 2; pass++) for (const e of out) axpy(-dot(e, x), e, x);
    const norm = Math.sqrt(dot(x, x));
    if (norm > 1e-12 * norm0 && norm > 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! / norm;
    else x.fill(0);
    out.push(x);
  }
  return out;
}

/**
 * One-sided Jacobi SVD of G [n, l], given as l columns: rotates column pairs until all are
 * orthogonal, so G·Y = W·diag(σ) with W's columns unit (zero for σ = 0) and Y [l, l] orthogonal,
 * row-major.
 */
function jacobiSvd(g: Float64Array[]): { w: Float64Array[]; sigma: Float64Array; y: Float64Array } {
  const l = g.length;
  const cols = g.map((c) => Float64Array.from(c));
  const y = new Float64Array(l * l);
  for (let i = 0; i < l; i++) y[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let i = 0; i < l - 1; i++) {
      for (let j = i + 1; j < l; j++) {
        const [ci, cj] = [cols[i]!, cols[j]!];
        const alpha = dot(ci, ci);
        const beta = dot(cj, cj);
        const gamma = dot(ci, cj);
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < ci.length; r++) {
          const [a, b] = [ci[r]!, cj[r]!];
          ci[r] = c * a - s * b;
          cj[r] = s * a + c * b;
        }
        for (let r = 0; r < l; r++) {
          const [a, b] = [y[r * l + i]!, y[r * l + j]!];
          y[r * l + i] = c * a - s * b;
          y[r * l + j] = s * a + c * b;
        }
      }
    }
    if (!rotated) break;
  }
  const sigma = Float64Array.from(cols, (c) => Math.sqrt(dot(c, c)));
  const w = cols.map((c, i) => (sigma[i]! > 0 ? c.map((x) => x / sigma[i]!) : c.fill(0)));
  return { w, sigma, y };
}
