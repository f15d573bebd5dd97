/**
 * `Slice` on the wasm backend, copying only the slice.
 *
 * Reference: tfjs-backend-wasm 4.22, kernels/Slice.js. It reads its input with
 * `backend.readSync(x.dataId)`, which copies the WHOLE input out of the wasm heap on every call:
 * taking T steps out of a sequence one slice at a time copies the sequence T times. Here the slice
 * is copied inside the heap, one contiguous run at a time (trailing dims taken whole merge into one
 * run). The seam's `Unpack` and `SplitV` are slices too and share this.
 *
 * Porting note: the original has 2-D/3-D/4-D loops and falls back to the cpu backend's
 * implementation above rank 4; one loop over runs serves every rank here, strings included.
 */
import type { KernelConfig, SliceAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { asWasm, type BackendWasm } from './wasm-internals.js';

/**
 * x[begin : begin + size] as a new tensor of shape `outShape` (the same number of elements as
 * `size`; Unpack drops the sliced axis).
 */
export function slice(backend: BackendWasm, x: TensorInfo, begin: readonly number[], size: readonly number[], outShape: number[] = [...size]): TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  if (x.dtype === 'string') {
    const source = backend.dataIdMap.get(x.dataId).stringBytes!;
    const target = new Array<Uint8Array>(tf.util.sizeFromShape(outShape));
    forEachRun(x.shape, begin, size, (from, to, length) => {
      for (let i = 0; i < length; i++) target[to + i] = source[from + i]!;
    });
    backend.dataIdMap.get(out.dataId).stringBytes = target;
    return out;
  }
  // The heap is read after makeOutput, which may have grown (replaced) it.
  const heap = backend.wasm.HEAPU8;
  const bytes = tf.util.bytesPerElement(x.dtype);
  const xStart = backend.dataIdMap.get(x.dataId).memoryOffset;
  const outStart = backend.dataIdMap.get(out.dataId).memoryOffset;
  forEachRun(x.shape, begin, size, (from, to, length) => {
    heap.copyWithin(outStart + to * bytes, xStart + from * bytes, xStart + (from + length) * bytes);
  });
  return out;
}

/**
 * Calls `copy(from, to, length)` for each contiguous run of the slice, in order: `from` indexes the
 * flat input, `to` the flat output.
 */
function forEachRun(
  shape: readonly number[], begin: readonly number[], size: readonly number[],
  copy: (from: number, to: number, length: number) => void,
): void {
  const rank = shape.length;
  if (rank === 0) return copy(0, 0, 1);
  const strides = shape.map((_, k) => tf.util.sizeFromShape(shape.slice(k + 1)));
  // Dims after `last` are taken whole, so each run spans them and size[last] rows of dim `last`.
  let last = rank - 1;
  while (last > 0 && begin[last] === 0 && size[last] === shape[last]) last--;
  const length = size[last]! * strides[last]!;
  let from = 0;
  for (let k = 0; k <= last; k++) from += begin[k]! * strides[k]!;
  const index = new Array<number>(last).fill(0); // position in the dims before `last`
  const runs = tf.util.sizeFromShape(size.slice(0, last));
  for (let run = 0, to = 0; run < runs; run++, to += length) {
    copy(from, to, length);
    for (let k = last - 1; k >= 0; k--) {
      if (++index[k]! < size[k]!) {
        from += strides[k]!;
        break;
      }
      from -= (size[k]! - 1) * strides[k]!;
      index[k] = 0;
    }
  }
}

export const sliceConfig: KernelConfig = {
  kernelName: tf.Slice,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { begin, size } = attrs as unknown as SliceAttrs;
    const [begin_, size_] = tf.slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    return slice(asWasm(backend), x, begin_, size_);
  },
};
