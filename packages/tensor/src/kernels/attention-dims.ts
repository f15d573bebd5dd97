/** Shapes shared by the `LmkitAttention` kernels. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from './wasm-internals.js';

export interface AttentionDims {
  readonly B: number;
  readonly H: number;
  readonly Tq: number;
  readonly Tk: number;
  readonly d: number;
  readonly dv: number;
}

/** The dims of q (B, H, Tq, d), k (B, H, Tk, d), v (B, H, Tk, dv); throws when they disagree. */
export function attentionDims(q: TensorInfo, k: TensorInfo, v: TensorInfo, causal: boolean): AttentionDims {
  const [B, H, Tq, d] = q.shape as [number, number, number, number];
  const Tk = k.shape[2]!;
  const dv = v.shape[3]!;
  const ok = q.shape.length === 4 && k.shape.length === 4 && v.shape.length === 4 &&
    [q, k, v].every((t) => t.dtype === 'float32') &&
    k.shape[0] === B && k.shape[1] === H && k.shape[3] === d &&
    v.shape[0] === B && v.shape[1] === H && v.shape[2] === Tk && (!causal || Tq <= Tk);
  if (!ok) {
    throw new Error(`LmkitAttention: expected float32 q (B, H, Tq, d), k (B, H, Tk, d), v (B, H, Tk, dv)${causal ? ' with Tq ≤ Tk' : ''}, ` +
      `got q [${q.shape}], k [${k.shape}], v [${v.shape}]`);
  }
  return { B, H, Tq, Tk, d, dv };
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapOffset(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}
