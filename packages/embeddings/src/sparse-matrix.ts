/**
 * `SparseMatrix`: a compressed sparse row (CSR) matrix of float64 values, the storage of the count
 * matrices (term-document, co-occurrence, PPMI). Built from (row, column, value) triples, summing
 * repeats; offers rows, entries, products with vectors (for the truncated SVD) and a dense copy.
 */
import { ConfigError, checkInt } from '@lmkit/tensor';

/** A matrix known only by its products with vectors: what the truncated SVD needs. */
export interface MatrixOperator {
  readonly rows: number;
  readonly cols: number;
  /** A·x: x [cols] → [rows]. */
  multiply(x: Float64Array): Float64Array;
  /** Aᵀ·y: y [rows] → [cols]. */
  multiplyTransposed(y: Float64Array): Float64Array;
}

export class SparseMatrix implements MatrixOperator {
  readonly rows: number;
  readonly cols: number;
  /** Row r's entries are indptr[r] … indptr[r+1]−1 of `indices` and `values`. */
  readonly indptr: Int32Array;
  /** Column of each entry, ascending within a row. */
  readonly indices: Int32Array;
  readonly values: Float64Array;

  constructor(rows: number, cols: number, indptr: Int32Array, indices: Int32Array, values: Float64Array) {
    this.rows = checkInt('SparseMatrix.rows', rows, 0);
    this.cols = checkInt('SparseMatrix.cols', cols, 0);
    if (indptr.length !== rows + 1 || indices.length !== values.length || indptr[rows] !== values.length) {
      throw new ConfigError('SparseMatrix.indptr', `${rows + 1} row offsets ending at the entry count ${values.length}`, `${indptr.length} offsets`);
    }
    this.indptr = indptr;
    this.indices = indices;
    this.values = values;
  }

  /** From a map of flat keys (row·cols + col) to values; zero values are dropped. */
  static fromEntries(rows: number, cols: number, entries: ReadonlyMap<number, number>): SparseMatrix {
    const keys = Float64Array.from([...entries].filter(([, v]) => v !== 0).map(([k]) => k)).sort();
    const indptr = new Int32Array(rows + 1);
    const indices = new Int32Array(keys.length);
    const values = new Float64Array(keys.length);
    keys.forEach((key, n) => {
      const r = Math.floor(key / cols);
      indptr[r + 1]!++;
      indices[n] = key - r * cols;
      values[n] = entries.get(key)!;
    });
    for (let r = 0; r < rows; r++) indptr[r + 1]! += indptr[r]!;
    return new SparseMatrix(rows, cols, indptr, indices, values);
  }

  /** The number of stored (non-zero) entries. */
  get nnz(): number {
    return this.values.length;
  }

  /** The entry at (r, c), 0 when absent. */
  get(r: number, c: number): number {
    const [from, to] = [this.indptr[r]!, this.indptr[r + 1]!];
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.indices[mid]! < c) lo = mid + 1;
      else hi = mid;
    }
    return lo < to && this.indices[lo] === c ? this.values[lo]! : 0;
  }

  /** Row r as a dense vector [cols]. */
  row(r: number): Float64Array {
    const out = new Float64Array(this.cols);
    for (let n = this.indptr[r]!; n < this.indptr[r + 1]!; n++) out[this.indices[n]!] = this.values[n]!;
    return out;
  }

  /** Calls fn(row, col, value) for every stored entry, row by row. */
  forEach(fn: (r: number, c: number, v: number) => void): void {
    for (let r = 0; r < this.rows; r++) for (let n = this.indptr[r]!; n < this.indptr[r + 1]!; n++) fn(r, this.indices[n]!, this.values[n]!);
  }

  /** A new matrix with the same pattern and values fn(row, col, value); zeros are dropped. */
  map(fn: (r: number, c: number, v: number) => number): SparseMatrix {
    const entries = new Map<number, number>();
    this.forEach((r, c, v) => entries.set(r * this.cols + c, fn(r, c, v)));
    return SparseMatrix.fromEntries(this.rows, this.cols, entries);
  }

  /** Row sums [rows]. */
  rowSums(): Float64Array {
    const out = new Float64Array(this.rows);
    this.forEach((r, _, v) => (out[r] = out[r]! + v));
    return out;
  }

  /** Column sums [cols]. */
  colSums(): Float64Array {
    const out = new Float64Array(this.cols);
    this.forEach((_, c, v) => (out[c] = out[c]! + v));
    return out;
  }

  multiply(x: Float64Array): Float64Array {
    const out = new Float64Array(this.rows);
    for (let r = 0; r < this.rows; r++) {
      let sum = 0;
      for (let n = this.indptr[r]!; n < this.indptr[r + 1]!; n++) sum += this.values[n]! * x[this.indices[n]!]!;
      out[r] = sum;
    }
    return out;
  }

  multiplyTransposed(y: Float64Array): Float64Array {
    const out = new Float64Array(this.cols);
    for (let r = 0; r < this.rows; r++) {
      const yr = y[r]!;
      if (yr === 0) continue;
      for (let n = this.indptr[r]!; n < this.indptr[r + 1]!; n++) {
        const c = this.indices[n]!;
        out[c] = out[c]! + this.values[n]! * yr;
      }
    }
    return out;
  }

  /** A dense row-major copy [rows, cols]. */
  toDense(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    this.forEach((r, c, v) => (out[r * this.cols + c] = v));
    return out;
  }
}

/** A dense row-major matrix as a `MatrixOperator`. */
export class DenseMatrix implements MatrixOperator {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: ArrayLike<number>,
  ) {
    if (data.length !== rows * cols) throw new ConfigError('DenseMatrix.data', `${rows}·${cols} = ${rows * cols} values`, `${data.length} values`);
  }

  multiply(x: Float64Array): Float64Array {
    const out = new Float64Array(this.rows);
    for (let r = 0; r < this.rows; r++) {
      let sum = 0;
      for (let c = 0, o = r * this.cols; c < this.cols; c++) sum += this.data[o + c]! * x[c]!;
      out[r] = sum;
    }
    return out;
  }

  multiplyTransposed(y: Float64Array): Float64Array {
    const out = new Float64Array(this.cols);
    for (let r = 0; r < this.rows; r++) {
      const yr = y[r]!;
      for (let c = 0, o = r * this.cols; c < this.cols; c++) out[c] = out[c]! + this.data[o + c]! * yr;
    }
    return out;
  }
}
