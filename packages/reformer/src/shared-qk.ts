/**
 * Shared query–key attention as Reformer defines it (Kitaev, Kaiser & Levskaya 2020, §2 "Shared-QK
 * Transformer"; trax `efficient_attention`, Hugging Face `ReformerAttention`): keys are the queries
 * normalised to unit length, a score is q·k̂ with no further 1/√d, masked keys score −1e9 and a
 * token's score with itself is replaced by −1e5, so it attends to itself only when nothing else is
 * allowed. This file holds those constants, the key normalisation, the mask helper shared with the
 * LSH path and the full-attention path (`LSHSelfAttention` below `fullAttentionBelow`; the
 * reference of the LSH tests).
 */
import { tf, type Rng, dropout, ConfigError } from '@lmkit/tensor';

/** The score of a masked key (causal or padding), as Hugging Face's float32 `mask_value`. */
export const MASK_VALUE = -1e9;
/** The score of a token with itself, as trax's and Hugging Face's `self_mask_value`. */
export const SELF_MASK_VALUE = -1e5;

/** k̂ = x / ‖x‖ over the last axis, computed as Hugging Face's `_len_and_dim_norm`: x·rsqrt(mean(x²) + 1e-6)/√d. */
export function unitKeys(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = x.shape[x.rank - 1]!;
    const meanSquare = tf.mean(tf.square(x), -1, true);
    return tf.mul(x, tf.mul(tf.rsqrt(tf.add(meanSquare, 1e-6)), 1 / Math.sqrt(d)));
  });
}

/**
 * Applies the masks to scores: `masked` keys (bool, broadcastable) get MASK_VALUE, then positions
 * where `self` is true get SELF_MASK_VALUE (so a padded token still attends to itself, as in HF).
 */
export function maskScores(dots: tf.Tensor, masked: tf.Tensor | null, self: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const withMask = masked === null ? dots : tf.where(masked, tf.scalar(MASK_VALUE), dots);
    return tf.where(self, tf.scalar(SELF_MASK_VALUE), withMask);
  });
}

export interface SharedQKOptions {
  /** Query i may not attend to keys j > i. Default false. */
  readonly causal?: boolean;
  /** [B, T] bool, true = padding (never attended). */
  readonly keyPaddingMask?: tf.Tensor | null;
  /** Dropout on the attention probabilities. Default 0. */
  readonly dropout?: number;
  /** Draws the dropout mask; required when `dropout` > 0. */
  readonly rng?: Rng;
}

/**
 * Full shared-QK attention. qk, v: [B, H, T, d] → [B, H, T, d].
 * @example sharedQKAttention(qk, v, { causal: true })
 */
export function sharedQKAttention(qk: tf.Tensor, v: tf.Tensor, options: SharedQKOptions = {}): tf.Tensor {
  const { causal = false, keyPaddingMask = null, dropout: p = 0, rng } = options;
  return tf.tidy(() => {
    const [B, , T] = qk.shape as [number, number, number, number];
    const dots = tf.matMul(qk, unitKeys(qk), false, true); // (B, H, T, T)
    const pos = tf.range(0, T, 1, 'int32');
    const qPos = pos.reshape([T, 1]);
    const kPos = pos.reshape([1, T]);
    let masked: tf.Tensor | null = causal ? tf.greater(kPos, qPos) : null; // (T, T)
    if (keyPaddingMask !== null) {
      const pad = keyPaddingMask.reshape([B, 1, 1, T]);
      masked = masked === null ? pad : tf.logicalOr(masked, pad);
    }
    const scores = maskScores(dots, masked, tf.equal(qPos, kPos));
    let probs = tf.softmax(scores); // (B, H, T, T)
    if (p > 0) {
      if (rng === undefined) throw new ConfigError('sharedQKAttention.rng', 'an Rng when dropout > 0', rng);
      probs = dropout(probs, p, rng);
    }
    return tf.matMul(probs, v); // (B, H, T, d)
  });
}
