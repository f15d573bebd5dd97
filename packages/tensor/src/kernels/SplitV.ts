/**
 * `SplitV` (`tf.split`) on the wasm backend: one slice per part, each copying only itself.
 *
 * Reference: tfjs-backend-wasm 4.22, kernels/SplitV.js, which slices with its own `Slice` — a copy
 * of the whole input per part (splitting fused gates or q/k/v copies the input once per part).
 */
import type { KernelConfig, SplitVAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { slice } from './Slice.js';
import { asWasm } from './wasm-internals.js';

export const splitVConfig: KernelConfig = {
  kernelName: tf.SplitV,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { numOrSizeSplits, axis } = attrs as unknown as SplitVAttrs;
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, $axis);
    let start = 0;
    return sizes.map((part) => {
      const begin = x.shape.map((_, d) => (d === $axis ? start : 0));
      const size = x.shape.map((n, d) => (d === $axis ? part : n));
      start += part;
      return slice(asWasm(backend), x, begin, size);
    });
  },
};
