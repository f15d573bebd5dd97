/**
 * `BatchMatMul` on the wasm backend, at or above XNNPACK's speed for every transpose combination
 * and batch.
 *
 * Reference: tfjs-backend-wasm 4.22, kernels/BatchMatMul.js and src/cc/batch_mat_mul_impl.cc.
 * The C kernel multiplies on XNNPACK's fully-connected operator only when neither operand is
 * transposed and both batches are 1; every other call — every matMul gradient, every multi-head
 * attention — runs a scalar loop at ~1–2 GFLOP/s (XNNPACK: ~26–35 here).
 *
 * Here every product runs the seam's own packed GEMM (wasm/matmul.c), which reads a transposed
 * operand through its strides while packing, so no transpose is ever materialised: once per batch,
 * or once for the whole batch when one right operand serves it and the left rows are contiguous
 * (x·W). Products of few rows (decoding one token) skip the packing, which would cost as much as
 * the product, and run row by row (`gemm_rows`).
 *
 * Porting note: batch dims broadcast in full (e.g. [2, 1] with [1, 3]); the original handles only
 * equal batches or a batch of 1, and returns a wrongly shaped tensor otherwise.
 */
import type { BatchMatMulAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { asWasm, type BackendWasm } from './wasm-internals.js';
import { seamModules } from './wasm-modules.js';

/**
 * Rows per packed right operand from which packing pays (measured here for x·Wᵀ with W 512×512:
 * row by row is faster up to ~4 rows, the packed GEMM from ~8).
 */
const MIN_ROWS = 8;

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
  const { gemm, gemm_rows, gemm_scratch } = seamModules(backend).matmul;
  // One right operand for all and contiguous left rows: the batch folds into the rows.
  const fold = tf.util.sizeFromShape(outerB) === 1 && !transposeA;
  const [products, rows] = fold ? [1, batch * M] : [batch, M];
  const packed = rows >= MIN_ROWS;
  const scratch = backend.makeOutput([packed ? gemm_scratch(rows, N, K) : K], 'float32');
  // Heap offsets (unlike views of the heap) stay valid when makeOutput grows the heap.
  const at = (t: TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;
  const [aBase, bBase, outBase, scratchAt] = [at(a), at(b), at(out), at(scratch)];
  // Element strides of A(i, k) and B(k, j).
  const [sai, sak] = transposeA ? [1, M] : [K, 1];
  const [sbk, sbj] = transposeB ? [1, K] : [N, 1];
  const aIndex = fold ? [0] : batchIndices(outer, outerA);
  const bIndex = fold ? [0] : batchIndices(outer, outerB);
  const multiply = packed ? gemm : gemm_rows;
  for (let i = 0; i < products; i++) {
    multiply(aBase + 4 * aIndex[i]! * M * K, sai, sak, bBase + 4 * bIndex[i]! * K * N, sbk, sbj, outBase + 4 * i * rows * N, rows, N, K, scratchAt);
  }
  backend.disposeData(scratch.dataId);
  return out;
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
