/**
 * The two block functions of a Reformer layer, each pre-normalised as in trax's and Hugging Face's
 * Reformer: f(x) = LSHSelfAttention(LayerNorm(x)) and g(x) = ChunkedFeedForward(LayerNorm(x)).
 * Either can be a `ReversibleBlock`'s f or g, or a residual branch x + f(x).
 */
import { tf, LayerNorm, Module } from '@lmkit/tensor';
import { ChunkedFeedForward, type ChunkedFeedForwardConfig } from './chunked-feed-forward.js';
import { LSHSelfAttention, type LSHSelfAttentionConfig } from './lsh-self-attention.js';
import type { BlockOptions } from './replay.js';

export class AttentionSublayer extends Module {
  readonly norm: LayerNorm;
  readonly attention: LSHSelfAttention;

  constructor(config: LSHSelfAttentionConfig) {
    super();
    this.norm = this.addModule('norm', new LayerNorm({ normalizedShape: config.embedDim }));
    this.attention = this.addModule('attention', new LSHSelfAttention(config));
  }

  /** x: [B, T, E] → attention(norm(x)): [B, T, E]. */
  forward(x: tf.Tensor, options: BlockOptions = {}): tf.Tensor {
    return tf.tidy(() => this.attention.forward(this.norm.forward(x), options).output);
  }
}

export class FeedForwardSublayer extends Module {
  readonly norm: LayerNorm;
  readonly ff: ChunkedFeedForward;

  constructor(config: ChunkedFeedForwardConfig) {
    super();
    this.norm = this.addModule('norm', new LayerNorm({ normalizedShape: config.dModel }));
    this.ff = this.addModule('ff', new ChunkedFeedForward(config));
  }

  /** x: [B, T, dModel] → ff(norm(x)): [B, T, dModel]. */
  forward(x: tf.Tensor, _options?: BlockOptions): tf.Tensor {
    return tf.tidy(() => this.ff.forward(this.norm.forward(x)));
  }
}
