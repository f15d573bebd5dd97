/**
 * Rotary position embedding, RoPE (Su et al., 2021, "RoFormer: Enhanced Transformer with Rotary
 * Position Embedding"): each pair of features of a query or key at position m is rotated by the
 * angle m·θᵢ, θᵢ = base^(−2i/D), so q·k depends on the positions only through their difference.
 * Applied to q and k (not v) after their projections, before the attention scores.
 *
 * The pairs come in two conventions, and a checkpoint works only with the one it was trained in:
 * - `interleaved: true` pairs neighbours (x₀, x₁), (x₂, x₃), … — the paper, Meta's LLaMA code
 *   (as complex numbers), GPT-J, RoFormer;
 * - `interleaved: false` (default) pairs the halves (xᵢ, x_{i+D/2}) with `rotate_half` — GPT-NeoX
 *   and the Hugging Face models (LLaMA checkpoints there are permuted to it).
 * Both are checked against those reference formulas in fixtures/generate.py.
 *
 * Porting note: cos and sin tables are computed in float64 in JavaScript for `maxLen` positions
 * and stored as float32; partial rotation (`rotary_pct`) and frequency scaling are not offered.
 */
import { Module, ShapeError, assertLastDim, checkInt, checkNumber, tf } from '@lmkit/tensor';
import { checkPositions } from './positions.js';

export interface RotaryEmbeddingConfig {
  /** The per-head size D (even) of the queries and keys it rotates. */
  readonly headDim: number;
  /** The angle base. Default 10000. */
  readonly base?: number;
  /** The number of positions tabulated. Default 2048. */
  readonly maxLen?: number;
  /** Rotate neighbouring pairs (true) or the two halves (false). Default false. */
  readonly interleaved?: boolean;
}

export class RotaryEmbedding extends Module {
  readonly headDim: number;
  readonly base: number;
  readonly maxLen: number;
  readonly interleaved: boolean;
  private readonly cos: tf.Tensor; // [maxLen, D]
  private readonly sin: tf.Tensor; // [maxLen, D]

  constructor(config: RotaryEmbeddingConfig) {
    super();
    this.headDim = checkInt('RotaryEmbedding.headDim', config.headDim, 2);
    if (this.headDim % 2 !== 0) throw new ShapeError('RotaryEmbedding.headDim', 'an even head size', String(this.headDim));
    this.base = checkNumber('RotaryEmbedding.base', config.base ?? 10000, Number.MIN_VALUE, Infinity);
    this.maxLen = checkInt('RotaryEmbedding.maxLen', config.maxLen ?? 2048, 1);
    this.interleaved = config.interleaved ?? false;
    const D = this.headDim;
    const cos = new Float32Array(this.maxLen * D);
    const sin = new Float32Array(this.maxLen * D);
    for (let i = 0; i < D / 2; i++) {
      const theta = Math.pow(this.base, (-2 * i) / D);
      // The two features of pair i: (2i, 2i+1) interleaved, (i, i+D/2) in halves.
      const [a, b] = this.interleaved ? [2 * i, 2 * i + 1] : [i, i + D / 2];
      for (let m = 0; m < this.maxLen; m++) {
        const c = Math.cos(m * theta);
        const s = Math.sin(m * theta);
        cos[m * D + a] = c;
        cos[m * D + b] = c;
        sin[m * D + a] = s;
        sin[m * D + b] = s;
      }
    }
    this.cos = tf.keep(tf.tensor(cos, [this.maxLen, D], 'float32'));
    this.sin = tf.keep(tf.tensor(sin, [this.maxLen, D], 'float32'));
  }

  /**
   * x: queries or keys [B, H, T, D] (any [..., T, D]) at positions offset … offset+T−1 → rotated,
   * same shape. Rotate q and k with the same offset, e.g. `rope.forward(q, past)`,
   * `rope.forward(k, past)` when `past` positions are cached.
   */
  forward(x: tf.Tensor, offset = 0): tf.Tensor {
    this.assertLive();
    assertLastDim('RotaryEmbedding.forward(x)', x, this.headDim);
    if (x.rank < 2) throw new ShapeError('RotaryEmbedding.forward(x)', 'rank ≥ 2 ([..., T, D])', `rank ${x.rank}`);
    const T = x.shape[x.rank - 2]!;
    const D = this.headDim;
    checkPositions('RotaryEmbedding.forward', T, offset, this.maxLen);
    return tf.tidy(() => {
      const cos = tf.slice(this.cos, [offset, 0], [T, D]); // (T, D)
      const sin = tf.slice(this.sin, [offset, 0], [T, D]); // (T, D)
      return tf.add(tf.mul(x, cos), tf.mul(this.rotate(x), sin)); // (..., T, D)
    });
  }

  /** The partner of each feature with the sign of a +90° turn: (a, b) → (−b, a) for every pair. */
  private rotate(x: tf.Tensor): tf.Tensor {
    const D = this.headDim;
    const lead = x.shape.slice(0, -1);
    if (!this.interleaved) {
      const [x1, x2] = tf.split(x, 2, -1); // (..., D/2) each
      return tf.concat([tf.neg(x2!), x1!], -1); // (..., D)
    }
    const pairs = x.reshape([...lead, D / 2, 2]); // (..., D/2, 2)
    const [a, b] = tf.split(pairs, 2, -1); // (..., D/2, 1) each
    return tf.concat([tf.neg(b!), a!], -1).reshape([...lead, D]); // (..., D)
  }

  override dispose(): void {
    tf.dispose([this.cos, this.sin]);
    super.dispose();
  }
}
