/**
 * `BatchMatMul` on the wasm backend, on XNNPACK for every transpose combination and batch.
 *
 * Reference: tfjs-backend-wasm 4.22, kernels/BatchMatMul.js and src/cc/batch_mat_mul_impl.cc.
 * The C kernel multiplies on XNNPACK's fully-connected operator only when neither operand is
 * transposed and both batches are 1; every other call — every matMul gradient, every multi-head
 * attention — runs a scalar loop at ~1–2 GFLOP/s (XNNPACK: ~35 here).
 *
 * Here a transposed operand is transposed first (in JavaScript, over the heap); when one right
 * operand serves the whole batch (batch 1, the usual x·W) the batch folds into the rows of a single
 * call; otherwise the C kernel runs once per batch on temporary C ids registered on each batch's
 * region of the operands, without copying. Each such call packs its right operand anew (XNNPACK
 * keeps packed weights per operator): that, and the transposes, is what remains over a single
 * untransposed product.
 *
 * Porting note: with fewer than MIN_ROWS rows per packed right operand (decoding one token,
 * attention of one query over a KV cache) packing costs more than it saves; the original C path
 * runs instead.
 * Porting note: batch dims broadcast in full (e.g. [2, 1] with [1, 3]); the original handles only
 * equal batches or a batch of 1, and returns a wrongly shaped tensor otherwise.
 * Porting note: C caches the XNNPACK operator under the right operand's id, whatever its shape, so
 * a weight reused under another shape (a reshape shares the id) aborts the original's wasm module.
 * Here the right operand keeps its own id only when its stored shape is the [K, N] multiplied;
 * otherwise it is viewed under a fresh id, whose disposal frees the operator.
 */
import type { BatchMatMulAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { asWasm, cFunction, int32Bytes, releaseView, view, type BackendWasm } from './wasm-internals.js';

/**
 * Rows per packed right operand from which XNNPACK, packing included, beats the scalar loop.
 * Measured here for x·Wᵀ with W 512×512 and for attention [32, M, 64]·[32, 128, 64]ᵀ: 0.2× at 1
 * row, 1.0–1.2× at 8 rows, 2–4× at 16–32 rows.
 */
const MIN_ROWS = 8;

/** A batch of matrices `shape` ([batch, rows, cols]) stored in `t` from element `offset`. */
export interface Region {
  readonly t: TensorInfo;
  readonly offset: number;
  readonly shape: readonly [number, number, number];
}

/**
 * a·b for float32 `a` [...A, M, K] and `b` [...B, K, N] (each transposed in its last two dims when
 * asked) → [broadcast(A, B), M, N]. Shared with the seam's `_FusedMatMul`.
 */
export function batchMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new Error(`BatchMatMul on wasm supports float32 only, got ${a.dtype} and ${b.dtype}`);
  }
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const [M, K] = transposeA ? [a.shape[aRank - 1]!, a.shape[aRank - 2]!] : [a.shape[aRank - 2]!, a.shape[aRank - 1]!];
  const [kB, N] = transposeB ? [b.shape[bRank - 1]!, b.shape[bRank - 2]!] : [b.shape[bRank - 2]!, b.shape[bRank - 1]!];
  tf.util.assert(K === kB, () =>
    `Error in matMul: inner shapes (${K}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} ` +
    `and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const out = backend.makeOutput([...outer, M, N], 'float32');
  const batch = tf.util.sizeFromShape(outer);
  if (batch * M * N === 0) return out;
  if (K === 0) {
    backend.typedArrayFromHeap(out).fill(0);
    return out;
  }
  const batchA = tf.util.sizeFromShape(outerA);
  const batchB = tf.util.sizeFromShape(outerB);

  if ((batchB === 1 ? batchA * M : M) >= MIN_ROWS) {
    const a2 = transposeA ? transposeLast2(backend, a, batchA, K, M) : a; // (batchA, M, K)
    const b2 = transposeB ? transposeLast2(backend, b, batchB, N, K) : b; // (batchB, K, N)
    if (batchB === 1) {
      // One right operand for all: the batch folds into rows (here batch = batchA).
      const rows = batchA * M;
      const aRows: Region = { t: a2, offset: 0, shape: [1, rows, K] };
      multiply(backend, aRows, { t: b2, offset: 0, shape: [1, K, N] }, false, false, { t: out, offset: 0, shape: [1, rows, N] });
    } else {
      const aBatch: Region = { t: a2, offset: 0, shape: [batchA, M, K] };
      const bBatch: Region = { t: b2, offset: 0, shape: [batchB, K, N] };
      perBatch(backend, aBatch, bBatch, false, false, out, outer, outerA, outerB);
    }
    if (a2 !== a) backend.disposeData(a2.dataId);
    if (b2 !== b) backend.disposeData(b2.dataId);
    return out;
  }
  // Few rows: tfjs's own C path, which also broadcasts a batch of 1 against the other.
  const aRegion: Region = { t: a, offset: 0, shape: transposeA ? [batchA, K, M] : [batchA, M, K] };
  const bRegion: Region = { t: b, offset: 0, shape: transposeB ? [batchB, N, K] : [batchB, K, N] };
  if (batchA === batchB || batchA === 1 || batchB === 1) {
    multiply(backend, aRegion, bRegion, transposeA, transposeB, { t: out, offset: 0, shape: [batch, M, N] });
  } else {
    perBatch(backend, aRegion, bRegion, transposeA, transposeB, out, outer, outerA, outerB);
  }
  return out;
}

/** One matrix of `a` and `b` per output batch, for batches that broadcast only dim by dim. */
function perBatch(
  backend: BackendWasm, a: Region, b: Region, transposeA: boolean, transposeB: boolean,
  out: TensorInfo, outer: number[], outerA: number[], outerB: number[],
): void {
  const [, aRows, aCols] = a.shape;
  const [, bRows, bCols] = b.shape;
  const [M, N] = out.shape.slice(-2) as [number, number];
  const aIndex = batchIndices(outer, outerA);
  const bIndex = batchIndices(outer, outerB);
  for (let i = 0; i < aIndex.length; i++) {
    multiply(
      backend,
      { t: a.t, offset: aIndex[i]! * aRows * aCols, shape: [1, aRows, aCols] },
      { t: b.t, offset: bIndex[i]! * bRows * bCols, shape: [1, bRows, bCols] },
      transposeA, transposeB,
      { t: out, offset: i * M * N, shape: [1, M, N] },
    );
  }
}

/** Runs the C kernel on regions: out = a·b, for one batch or for batches the C kernel broadcasts. */
function multiply(backend: BackendWasm, a: Region, b: Region, transposeA: boolean, transposeB: boolean, out: Region): void {
  const ids = [regionId(backend, a, false), regionId(backend, b, true), regionId(backend, out, false)] as const;
  const fn = cFunction(backend, 'BatchMatMul', ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
  fn(ids[0].id, int32Bytes(a.shape), 3, ids[1].id, int32Bytes(b.shape), 3, Number(transposeA), Number(transposeB), ids[2].id);
  for (const { id, temporary } of ids) if (temporary) releaseView(backend, id);
}

/**
 * The C id to pass for a region: the tensor's own id when the region is all of it — for a right
 * operand only if its stored shape is the region's matrix (see the header) — else a temporary view.
 */
export function regionId(backend: BackendWasm, r: Region, rightOperand: boolean): { id: number; temporary: boolean } {
  const data = backend.dataIdMap.get(r.t.dataId);
  const size = r.shape[0] * r.shape[1] * r.shape[2];
  const whole = r.offset === 0 && size === tf.util.sizeFromShape(data.shape as number[]);
  if (whole && (!rightOperand || sameDims(data.shape, r.shape))) return { id: data.id, temporary: false };
  return { id: view(backend, r.t, r.offset, size), temporary: true };
}

/** Whether two shapes are equal once their leading 1s are dropped. */
function sameDims(x: readonly number[], y: readonly number[]): boolean {
  const strip = (s: readonly number[]) => {
    const first = s.findIndex((d) => d !== 1);
    return first < 0 ? [] : s.slice(first);
  };
  return strip(x).join() === strip(y).join();
}

/**
 * `t` seen as [batch, rows, cols], transposed into a new [batch, cols, rows]. Done here rather than
 * with the backend's `Transpose` kernel, which takes ~2.5× as long for 256×256 (measured here).
 */
function transposeLast2(backend: BackendWasm, t: TensorInfo, batch: number, rows: number, cols: number): TensorInfo {
  const out = backend.makeOutput([batch, cols, rows], 'float32');
  // The heap is viewed after makeOutput, which may have grown (replaced) it.
  const heap = new Float32Array(backend.wasm.HEAPU8.buffer);
  const from = backend.dataIdMap.get(t.dataId).memoryOffset / 4;
  const to = backend.dataIdMap.get(out.dataId).memoryOffset / 4;
  for (let i = 0; i < batch; i++) transpose(heap, from + i * rows * cols, to + i * rows * cols, rows, cols);
  return out;
}

/**
 * heap[to…] = the transpose of the rows × cols matrix at heap[from…]. Eight source rows at a time,
 * so that each column of them is written as eight consecutive floats.
 */
function transpose(heap: Float32Array, from: number, to: number, rows: number, cols: number): void {
  let i = 0;
  for (; i + 8 <= rows; i += 8) {
    const r0 = from + i * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
    const r4 = r3 + cols, r5 = r4 + cols, r6 = r5 + cols, r7 = r6 + cols;
    for (let j = 0, d = to + i; j < cols; j++, d += rows) {
      heap[d] = heap[r0 + j]!;
      heap[d + 1] = heap[r1 + j]!;
      heap[d + 2] = heap[r2 + j]!;
      heap[d + 3] = heap[r3 + j]!;
      heap[d + 4] = heap[r4 + j]!;
      heap[d + 5] = heap[r5 + j]!;
      heap[d + 6] = heap[r6 + j]!;
      heap[d + 7] = heap[r7 + j]!;
    }
  }
  for (; i < rows; i++) {
    const r = from + i * cols;
    for (let j = 0, d = to + i; j < cols; j++, d += rows) heap[d] = heap[r + j]!;
  }
}

/**
 * For each batch of the broadcast dims `outer` (row-major), the batch of `dims` it reads, with
 * numpy broadcasting (dims aligned on the right; a dim of 1 repeats).
 */
function batchIndices(outer: readonly number[], dims: readonly number[]): number[] {
  const strides = dims.map((_, k) => tf.util.sizeFromShape(dims.slice(k + 1)));
  const pad = outer.length - dims.length;
  const result = new Array<number>(tf.util.sizeFromShape(outer as number[]));
  for (let i = 0; i < result.length; i++) {
    let rest = i;
    let index = 0;
    for (let d = outer.length - 1; d >= 0; d--) {
      const coord = rest % outer[d]!;
      rest = (rest - coord) / outer[d]!;
      const k = d - pad;
      if (k >= 0 && dims[k] !== 1) index += coord * strides[k]!;
    }
    result[i] = index;
  }
  return result;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    return batchMatMul(asWasm(backend), a, b, transposeA, transposeB);
  },
};
