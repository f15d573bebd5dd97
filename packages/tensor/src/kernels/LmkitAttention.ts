/**
 * `LmkitAttention`: the seam's fused scaled dot-product attention on the wasm backend (no tfjs
 * counterpart). Inputs q (B, H, Tq, d), k (B, H, Tk, d), v (B, H, Tk, dv); attrs `scale` and
 * `causal` (query i sees keys 0 … i + Tk − Tq). Outputs the attention (B, H, Tq, dv) and per
 * query row its max score and 1 / Σ exp(score − max) (B, H, Tq, 2), which `LmkitAttentionGrad`
 * uses to recompute the weights. No (Tq, Tk) matrix is held: see wasm/attention.c.
 *
 * Reference: PyTorch 1.13 `F.multi_head_attention_forward` (softmax(q·kᵀ·scale + mask)·v); the
 * blocked recomputation follows FlashAttention (Dao et al., 2022, §3.1).
 * Porting note: scores are scale·(q·k), not (scale·q)·k as PyTorch rounds them; the two differ by
 * float32 rounding only.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { attentionDims, heapOffset } from './attention-dims.js';
import { asWasm } from './wasm-internals.js';
import { seamModules } from './wasm-modules.js';

export const LMKIT_ATTENTION = 'LmkitAttention';

export const lmkitAttentionConfig: KernelConfig = {
  kernelName: LMKIT_ATTENTION,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: b, attrs }) => {
    const backend = asWasm(b);
    const { q, k, v } = inputs as { q: TensorInfo; k: TensorInfo; v: TensorInfo };
    const { scale, causal } = attrs as unknown as { scale: number; causal: boolean };
    const { B, H, Tq, Tk, d, dv } = attentionDims(q, k, v, causal);
    const module = seamModules(backend).attention;
    const o = backend.makeOutput([B, H, Tq, dv], 'float32');
    const stats = backend.makeOutput([B, H, Tq, 2], 'float32');
    if (Tq > 0 && Tk === 0) backend.typedArrayFromHeap(o).fill(0);
    if (B * H * Tq === 0 || Tk === 0) return [o, stats];
    const scratch = backend.makeOutput([module.attention_forward_scratch(Tk, d, dv)], 'float32');
    const at = (t: TensorInfo) => heapOffset(backend, t);
    module.attention_forward(at(q), at(k), at(v), at(o), at(stats), at(scratch), B * H, Tq, Tk, d, dv, scale, Number(causal), Tk - Tq);
    backend.disposeData(scratch.dataId);
    return [o, stats];
  },
};
