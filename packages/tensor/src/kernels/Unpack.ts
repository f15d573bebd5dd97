/**
 * `Unpack` (`tf.unstack`) on the wasm backend: one slice per index of the axis, each copying only
 * itself.
 *
 * Reference: tfjs-backend-wasm 4.22, kernels/Unpack.js, which slices with its own `Slice` — a
 * copy of the whole input per output, so unstacking T time steps copies the sequence T times.
 */
import type { KernelConfig, TensorInfo, UnpackAttrs } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { slice } from './Slice.js';
import { asWasm } from './wasm-internals.js';

export const unpackConfig: KernelConfig = {
  kernelName: tf.Unpack,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { value } = inputs as { value: TensorInfo };
    const axis = tf.util.parseAxisParam((attrs as unknown as UnpackAttrs).axis, value.shape)[0]!;
    const outShape = value.shape.filter((_, d) => d !== axis);
    const size = value.shape.map((n, d) => (d === axis ? 1 : n));
    return Array.from({ length: value.shape[axis]! }, (_, i) => {
      const begin = value.shape.map((_, d) => (d === axis ? i : 0));
      return slice(asWasm(backend), value, begin, size, outShape);
    });
  },
};
