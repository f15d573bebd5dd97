/**
 * `LearnedPositionalEmbedding`: one trained vector per position, added to the token embeddings
 * (Gehring et al., 2017; BERT's `position_embeddings`, GPT-2's `wpe`). The state dict holds
 * `weight` [maxLen, C], as the `nn.Embedding` those models use.
 *
 * Porting note: positions are a contiguous range from `offset` (the KV-cache case), so the table
 * is sliced rather than gathered; the gradient is the same.
 */
import { Module, Rng, assertLastDim, assertRank, checkInt, checkNumber, tf } from '@lmkit/tensor';
import { checkPositions } from './positions.js';

export interface LearnedPositionalEmbeddingConfig {
  /** The number of positions, the longest sequence (with its offset). */
  readonly maxLen: number;
  /** The model size C. */
  readonly dModel: number;
  /** Init N(0, initStd²). Default 0.02 (GPT-2's and BERT's initializer range). */
  readonly initStd?: number;
  /** Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export class LearnedPositionalEmbedding extends Module {
  readonly maxLen: number;
  readonly dModel: number;
  readonly weight: tf.Variable; // [maxLen, C]

  constructor(config: LearnedPositionalEmbeddingConfig) {
    super();
    this.maxLen = checkInt('LearnedPositionalEmbedding.maxLen', config.maxLen, 1);
    this.dModel = checkInt('LearnedPositionalEmbedding.dModel', config.dModel, 1);
    const std = checkNumber('LearnedPositionalEmbedding.initStd', config.initStd ?? 0.02, 0, Infinity);
    const rng = config.rng ?? new Rng(0);
    this.weight = this.addParameter('weight', rng.randomNormal([this.maxLen, this.dModel], 0, std));
  }

  /** x: [B, T, C] (or [T, C]) → x + W[offset … offset+T−1], same shape. */
  forward(x: tf.Tensor, offset = 0): tf.Tensor {
    this.assertLive();
    assertRank('LearnedPositionalEmbedding.forward(x)', x, [2, 3]);
    assertLastDim('LearnedPositionalEmbedding.forward(x)', x, this.dModel);
    const T = x.shape[x.rank - 2]!;
    checkPositions('LearnedPositionalEmbedding.forward', T, offset, this.maxLen);
    return tf.tidy(() => tf.add(x, tf.slice(this.weight, [offset, 0], [T, this.dModel]))); // (B, T, C)
  }
}
