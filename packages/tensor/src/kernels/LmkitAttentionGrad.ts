/**
 * `LmkitAttentionGrad`: the gradient of `LmkitAttention` on the wasm backend. Inputs q, k, v, the
 * forward's output `o` and `stats`, and `dy` (B, H, Tq, dv); attrs as the forward. Outputs dq,
 * dk, dv. Each block of queries recomputes its weights from q, k and the saved row statistics
 * (FlashAttention's backward, Dao et al., 2022, Algorithm 4, with full rows per block): dV = Pᵀ·dY,
 * dP = dY·Vᵀ, dS = P ∘ (dP − rowsum(dY ∘ O)), dQ = scale·dS·K, dK = scale·dSᵀ·Q.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { attentionDims, heapOffset } from './attention-dims.js';
import { asWasm } from './wasm-internals.js';
import { seamModules } from './wasm-modules.js';

export const LMKIT_ATTENTION_GRAD = 'LmkitAttentionGrad';

export const lmkitAttentionGradConfig: KernelConfig = {
  kernelName: LMKIT_ATTENTION_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: b, attrs }) => {
    const backend = asWasm(b);
    const { q, k, v, o, stats, dy } = inputs as Record<'q' | 'k' | 'v' | 'o' | 'stats' | 'dy', TensorInfo>;
    const { scale, causal } = attrs as unknown as { scale: number; causal: boolean };
    const { B, H, Tq, Tk, d, dv } = attentionDims(q, k, v, causal);
    const module = seamModules(backend).attention;
    const dq = backend.makeOutput([B, H, Tq, d], 'float32');
    const dk = backend.makeOutput([B, H, Tk, d], 'float32');
    const dvOut = backend.makeOutput([B, H, Tk, dv], 'float32');
    if (B * H * Tq === 0 || Tk === 0) {
      for (const t of [dq, dk, dvOut]) backend.typedArrayFromHeap(t).fill(0);
      return [dq, dk, dvOut];
    }
    const scratch = backend.makeOutput([module.attention_backward_scratch(Tk, d, dv)], 'float32');
    const at = (t: TensorInfo) => heapOffset(backend, t);
    module.attention_backward(
      at(q), at(k), at(v), at(o), at(stats), at(dy), at(dq), at(dk), at(dvOut), at(scratch),
      B * H, Tq, Tk, d, dv, scale, Number(causal), Tk - Tq,
    );
    backend.disposeData(scratch.dataId);
    return [dq, dk, dvOut];
  },
};
