/**
 * Attention maps: where every head of every layer looked, for an input, as plain nested arrays a
 * UI can draw (one heat map per layer, kind and head) without touching tensors — the per-head
 * `attn_output_weights` of `nn.MultiheadAttention` (`average_attn_weights=False`), gathered over a
 * stack.
 */
import { tf } from '@lmkit/tensor';

export type AttentionKind = 'self' | 'cross';

/** One layer's attention weights as a tensor: (B, nHead, Tq, Tk). */
export type LayerAttention = { readonly kind: AttentionKind; readonly weights: tf.Tensor };

/** A stack's attention weights as tensors, layer by layer. */
export type StackAttention = { readonly layer: number; readonly kind: AttentionKind; readonly weights: tf.Tensor };

/** One layer's attention map, read out of its tensor. */
export interface AttentionMap {
  /** Which stack of a `Transformer` (a lone `TransformerEncoder` is 'encoder', a `TransformerDecoder` 'decoder'). */
  readonly stack: 'encoder' | 'decoder';
  /** Layer index within its stack, from 0. */
  readonly layer: number;
  /** Self-attention, or a decoder's cross-attention to the memory. */
  readonly kind: AttentionKind;
  /** weights[b][h][i][j]: how much query i of batch row b, in head h, attends to key j. Each row sums to 1. */
  readonly weights: number[][][][];
}

/** Reads `entries` into `AttentionMap`s and disposes their tensors. */
export async function readAttentionMaps(stack: AttentionMap['stack'], entries: readonly StackAttention[]): Promise<AttentionMap[]> {
  try {
    const out: AttentionMap[] = [];
    for (const { layer, kind, weights } of entries) out.push({ stack, layer, kind, weights: (await weights.array()) as number[][][][] });
    return out;
  } finally {
    tf.dispose(entries.map((e) => e.weights));
  }
}
