/**
 * `scaledDotProductAttention`: softmax(q·kᵀ/√d + mask)·v (Vaswani et al., 2017, §3.2.1), computed
 * as PyTorch 1.13's `F.multi_head_attention_forward` does: q is scaled before the product, the
 * additive mask is added to the scores, softmax runs over the keys, dropout drops weights, and
 * the output is the weighted sum of the values.
 *
 * Porting note: a bool `attnMask` means true = may NOT attend (nn.MultiheadAttention's meaning,
 * not `F.scaled_dot_product_attention`'s); `isCausal` is aligned bottom-right (see masks.ts).
 * Porting note: the returned weights are taken after dropout, as nn.MultiheadAttention returns them.
 * Porting note: `blockSize` (no PyTorch counterpart) computes the same result in blocks of
 * queries, so memory grows as O(block · Tk) instead of O(Tq · Tk) (see blocked-attention.ts).
 * Porting note: on wasm, attention with no mask but the causal one, no dropout and no returned
 * weights runs the seam's fused kernel (`fusedAttention`): no (Tq, Tk) matrix at all, so it also
 * keeps any `blockSize` memory bound. Its scores are scale·(q·k) rather than (scale·q)·k, which
 * differ by float32 rounding only.
 */
import {
  ConfigError, Rng, ShapeError, assertAttentionInputs, assertDtype, checkInt, checkNumber, dropout as dropoutOp, fusedAttention, fusedAttentionAvailable, tf,
} from '@lmkit/tensor';
import { blockedAttention } from './blocked-attention.js';
import { MASK_DTYPES, additiveMask, assertBroadcastsTo, causalMask } from './masks.js';

export interface ScaledDotProductAttentionOptions {
  /**
   * bool (true = may not attend) or float32 (added to the scores), of a shape that broadcasts to
   * (B, H, Tq, Tk): (Tq, Tk), (B, 1, 1, Tk) for key padding, (B, H, Tq, Tk), … Default none.
   */
  readonly attnMask?: tf.Tensor;
  /** Query i sees keys 0 … Tk − Tq + i only (needs Tq ≤ Tk). Combines with `attnMask`. Default false. */
  readonly isCausal?: boolean;
  /** Probability in [0, 1) of dropping each attention weight. Default 0. */
  readonly dropout?: number;
  /** Draws the dropout masks; required when `dropout` > 0. */
  readonly rng?: Rng;
  /** Also return the attention weights. Default false. */
  readonly returnWeights?: boolean;
  /** Compute in blocks of this many queries (memory O(block · Tk)); default: all queries at once. */
  readonly blockSize?: number;
}

export interface AttentionResult {
  /** (B, H, Tq, dv) */
  readonly output: tf.Tensor;
  /** (B, H, Tq, Tk), only when `returnWeights` was set. */
  readonly weights?: tf.Tensor;
}

/**
 * Attention of q (B, H, Tq, d) over k (B, H, Tk, d) and v (B, H, Tk, dv) → output (B, H, Tq, dv).
 *
 * @example
 * const { output } = scaledDotProductAttention(q, k, v, { isCausal: true });
 */
export function scaledDotProductAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, options: ScaledDotProductAttentionOptions = {}): AttentionResult {
  const where = 'scaledDotProductAttention';
  const { B, H, Tq, Tk, d } = assertAttentionInputs(where, q, k, v);
  const { attnMask, isCausal = false, returnWeights = false } = options;
  if (attnMask !== undefined) {
    assertDtype(`${where}(attnMask)`, attnMask, MASK_DTYPES);
    assertBroadcastsTo(`${where}(attnMask)`, attnMask, [B, H, Tq, Tk]);
  }
  if (isCausal && Tq > Tk) throw new ShapeError(`${where}(isCausal)`, `at most as many queries as keys`, `${Tq} queries and ${Tk} keys`);
  const p = checkNumber(`${where}(dropout)`, options.dropout ?? 0, 0, 1, true);
  if (p > 0 && options.rng === undefined) throw new ConfigError(`${where}(rng)`, 'an Rng when dropout > 0', undefined);
  const blockSize = options.blockSize === undefined ? undefined : checkInt(`${where}(blockSize)`, options.blockSize, 1);

  const scale = 1 / Math.sqrt(d);
  if (attnMask === undefined && p === 0 && !returnWeights && fusedAttentionAvailable()) {
    return { output: fusedAttention(q, k, v, { scale, causal: isCausal }) };
  }
  const results = tf.tidy(() => {
    const mask = attnMask === undefined ? null : additiveMask(attnMask);
    if (blockSize !== undefined && blockSize < Tq) {
      return blockedAttention(q, k, v, { mask, isCausal, dropout: p, rng: options.rng, blockSize, returnWeights, scale });
    }
    let scores = tf.matMul(tf.mul(q, scale), k, false, true); // (B, H, Tq, Tk)
    if (mask !== null) scores = tf.add(scores, mask);
    if (isCausal) scores = tf.add(scores, causalMask(Tq, Tk, Tk - Tq));
    let weights = tf.softmax(scores); // (B, H, Tq, Tk)
    if (p > 0) weights = dropoutOp(weights, p, options.rng!);
    const output = tf.matMul(weights, v); // (B, H, Tq, dv)
    return returnWeights ? [output, weights] : [output];
  });
  return results.length === 2 ? { output: results[0]!, weights: results[1]! } : { output: results[0]! };
}
