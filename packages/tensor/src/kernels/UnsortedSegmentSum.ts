/**
 * `UnsortedSegmentSum` on the wasm backend, which has none — without it `tf.gather` has no
 * gradient there (its gradient sums the incoming rows per gathered index with this kernel).
 *
 * Reference: tf.math.unsorted_segment_sum; tfjs-backend-cpu 4.22 kernels/UnsortedSegmentSum.js.
 * out[s, ...] = Σ over i with segmentIds[i] = s of x[i, ...], for x [...S, ...R] and segmentIds
 * [...S] → out [numSegments, ...R]. Ids outside [0, numSegments) are dropped, as on cpu (TF drops
 * negative ids and rejects ids ≥ numSegments).
 *
 * Porting note: a plain loop over views of the wasm heap. The output keeps x's dtype, as in TF and
 * on webgpu; cpu returns float32 for an int32 x.
 */
import type { KernelConfig, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { asWasm } from './wasm-internals.js';

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: b, attrs }) => {
    const backend = asWasm(b);
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32, got ${x.dtype}`);
    }
    const rowShape = x.shape.slice(segmentIds.shape.length); // R
    const R = tf.util.sizeFromShape(rowShape);
    const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
    // Views are taken after makeOutput, which may have grown (replaced) the heap.
    const ids = backend.typedArrayFromHeap(segmentIds);
    const xs = backend.typedArrayFromHeap(x);
    const sums = backend.typedArrayFromHeap(out).fill(0);
    for (let i = 0; i < ids.length; i++) {
      const s = ids[i]!;
      if (!(s >= 0 && s < numSegments)) continue;
      for (let j = 0, from = i * R, to = s * R; j < R; j++) sums[to + j] = sums[to + j]! + xs[from + j]!;
    }
    return out;
  },
};
