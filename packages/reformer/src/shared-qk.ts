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

/** Scores with masks applied, as `dots · keep + fill`: two same-shape products, no select. */
export type ScoreMask = {
  /** 1 where the score stands, 0 where it is replaced. */
  readonly keep: tf.Tensor;
  /** The replacement: MASK_VALUE for masked keys, SELF_MASK_VALUE for the query itself, else 0. */
  readonly fill: tf.Tensor;
};

/**
 * The mask of `masked` keys (float 0/1, broadcastable; null for none) and `self` (float 0/1): masked
 * keys get MASK_VALUE, then the query itself gets SELF_MASK_VALUE (so a padded token still attends
 * to itself, as in HF).
 *
 * Porting note: float 0/1 planes and arithmetic rather than bool tensors and `tf.where`: on
 * tfjs-backend-wasm 4.22 a comparison or a select that broadcasts runs a generic index loop at
 * ~150 ns per element (measured here: 300 ms for a (4, 64, 64, 128) `equal`, against 1.6 ms for
 * the same `sub`), which made the masks most of an LSH step.
 */
export function scoreMask(masked: tf.Tensor | null, self: tf.Tensor): ScoreMask {
  return tf.tidy(() => {
    const notSelf = tf.sub(1, self);
    if (masked === null) return { keep: notSelf, fill: tf.mul(self, SELF_MASK_VALUE) };
    const maskedOnly = tf.mul(masked, notSelf);
    return {
      keep: tf.sub(notSelf, maskedOnly),
      fill: tf.add(tf.mul(maskedOnly, MASK_VALUE), tf.mul(self, SELF_MASK_VALUE)),
    };
  });
}

/** Scores with `mask` applied. */
export function maskScores(dots: tf.Tensor, mask: ScoreMask): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(dots, mask.keep), mask.fill));
}

/** Float 0/1 of a = b for integer-valued float tensors (broadcasting): 1 − min(|a − b|, 1). */
export function equalF(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.relu(tf.sub(1, tf.abs(tf.sub(a, b)))));
}

/** Float 0/1 of a > b for integer-valued float tensors (broadcasting): a − b clipped to [0, 1]. */
export function greaterF(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.sub(a, b), 0, 1));
}

/** Float 0/1 of a bool tensor, without tfjs's casts (webgpu's int32 → float32 cast only relabels the buffer). */
export function boolToFloat(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.where(x, tf.ones(x.shape), tf.zeros(x.shape)));
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
    const pos = tf.range(0, T, 1, 'float32');
    const qPos = pos.reshape([T, 1]);
    const kPos = pos.reshape([1, T]);
    let masked: tf.Tensor | null = causal ? greaterF(kPos, qPos) : null; // (T, T)
    if (keyPaddingMask !== null) {
      const pad = boolToFloat(keyPaddingMask).reshape([B, 1, 1, T]);
      masked = masked === null ? pad : tf.maximum(masked, pad);
    }
    const scores = maskScores(dots, scoreMask(masked, equalF(qPos, kPos)));
    let probs = tf.softmax(scores); // (B, H, T, T)
    if (p > 0) {
      if (rng === undefined) throw new ConfigError('sharedQKAttention.rng', 'an Rng when dropout > 0', rng);
      probs = dropout(probs, p, rng);
    }
    return tf.matMul(probs, v); // (B, H, T, d)
  });
}
