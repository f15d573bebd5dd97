/**
 * `GatherV2` (`tf.gather`) on the wasm backend, replacing tfjs-backend-wasm 4.22's, which is wrong
 * for `batchDims` > 0 whenever the number of indices per batch differs from the batch size: e.g.
 * the per-row pick `tf.gather(logProbs [N, V], targets [N, 1], 1, 1)` reads the wrong rows for
 * N > 1 (tensorflow/tfjs#8658).
 *
 * Reference: tfjs-backend-wasm 4.22 kernels/GatherV2.js and src/cc/kernels/Gather.cc. x is viewed
 * as [batch, outer, dimSize, slice] and the output as [batch, outer, indicesPerBatch, slice]; the C
 * function reads index `indices[b · stride + j]` for output position (b, ·, j, ·), where `stride`
 * is its sixth argument.
 *
 * Porting note: the same C function, called with the indices' row stride (indices per batch) as
 * that argument where tfjs passes the batch size (the fix proposed in tensorflow/tfjs#8659). No
 * reshapes are run: the C side reads only the flat buffers and the strides passed here.
 * Porting note: the C function computes a strided offset per element (~100 ns per float measured
 * here: 16,384 rows of 32 floats in ~40 ms), so slices of 8 or more elements without batch dims
 * of float32 or int32 — row gathers, the usual case — are copied here instead, a slice at a time
 * within the heap.
 */
import type { GatherV2Attrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { asWasm, cFunction, cId, int32Bytes, type BackendWasm } from './wasm-internals.js';

/** tfjs-backend-wasm's `CppDType` (src/cc/backend.h). */
const C_DTYPE: Partial<Record<string, number>> = { float32: 0, int32: 1, bool: 2 };

/** Slice length (elements) from which copying slices beats the C function. */
const MIN_SLICE = 8;

/** out[o, j, :] = x[o, indices[j], :] for x viewed as [outer, dimSize, slice], copied within the heap. */
function copySlices(backend: BackendWasm, x: TensorInfo, indices: TensorInfo, out: TensorInfo, outer: number, dimSize: number, slice: number): void {
  const heap = new Uint32Array(backend.wasm.HEAPU8.buffer); // float32 and int32 alike: 4-byte elements
  const ids = backend.typedArrayFromHeap(indices);
  const from = backend.dataIdMap.get(x.dataId).memoryOffset / 4;
  let to = backend.dataIdMap.get(out.dataId).memoryOffset / 4;
  for (let o = 0; o < outer; o++) {
    const base = from + o * dimSize * slice;
    for (let j = 0; j < ids.length; j++, to += slice) {
      const start = base + ids[j]! * slice;
      heap.copyWithin(to, start, start + slice);
    }
  }
}

export const gatherV2Config: KernelConfig = {
  kernelName: tf.GatherV2,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: b, attrs }) => {
    const backend = asWasm(b);
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = attrs as unknown as GatherV2Attrs;
    const dtype = C_DTYPE[x.dtype];
    if (dtype === undefined) throw new Error(`GatherV2 on wasm supports float32, int32 and bool, got ${x.dtype}`);
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const dimSize = x.shape[parsedAxis]!;
    for (const index of backend.typedArrayFromHeap(indices)) {
      if (!(index >= 0 && index < dimSize)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
    }
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x, indices, parsedAxis, batchDims);
    const indicesPerBatch = tf.util.sizeFromShape(indices.shape) / info.batchSize;
    const out = backend.makeOutput(info.outputShape, x.dtype);
    if (tf.util.sizeFromShape(info.outputShape) === 0) return out;
    if (info.batchSize === 1 && info.sliceSize >= MIN_SLICE && x.dtype !== 'bool') {
      copySlices(backend, x, indices, out, info.outerSize, info.dimSize, info.sliceSize);
      return out;
    }
    const xShape = [info.batchSize, info.outerSize, info.dimSize, info.sliceSize];
    const outShape = [info.batchSize, info.outerSize, indicesPerBatch, info.sliceSize];
    const gather = cFunction(backend, 'Gather', ['number', 'number', 'array', 'number', 'number', 'number', 'array', 'number']);
    gather(
      cId(backend, x),
      dtype,
      int32Bytes(tf.util.computeStrides(xShape)),
      3, // strides of a rank-4 view
      cId(backend, indices),
      indicesPerBatch,
      int32Bytes(tf.util.computeStrides(outShape)),
      cId(backend, out),
    );
    return out;
  },
};
