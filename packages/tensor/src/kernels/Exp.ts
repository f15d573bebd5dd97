/**
 * `Exp` (`tf.exp`) on the wasm backend, four lanes at a time in WebAssembly SIMD (wasm/elementwise.c)
 * instead of tfjs-backend-wasm 4.22's one libm call per element (~20 ns per element measured here;
 * the exps of an LSH attention step at T = 2,048 took ~96 ms of its ~410).
 *
 * Reference: tfjs-backend-wasm 4.22 kernels/Exp.js (a unary kernel over `std::exp`).
 * Porting note: Cephes' expf polynomial, within 2 ulp of the exact value (libm: within 1), with the
 * same +∞, 0, denormal and NaN results.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { asWasm } from './wasm-internals.js';
import { seamModules } from './wasm-modules.js';

export const expConfig: KernelConfig = {
  kernelName: tf.Exp,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: b }) => {
    const backend = asWasm(b);
    const { x } = inputs as { x: TensorInfo };
    if (x.dtype !== 'float32') throw new Error(`Exp on wasm takes float32 (tf.exp casts), got ${x.dtype}`);
    const out = backend.makeOutput([...x.shape], 'float32');
    const size = tf.util.sizeFromShape(x.shape);
    if (size === 0) return out;
    const at = (t: TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;
    seamModules(backend).elementwise.exp_f32(at(x), at(out), size);
    return out;
  },
};
