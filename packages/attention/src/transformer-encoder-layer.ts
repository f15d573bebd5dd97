/**
 * `TransformerEncoderLayer`: self-attention then a feed-forward block, each in a residual branch
 * with LayerNorm (Vaswani et al., 2017, §3.1), as `torch.nn.TransformerEncoderLayer` (PyTorch
 * 1.13, `batch_first=True`): post-LN x = norm1(x + sa(x)); x = norm2(x + ff(x)), or with
 * `normFirst` pre-LN x = x + sa(norm1(x)); x = x + ff(norm2(x)). Parameter names as PyTorch:
 * `self_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`.
 *
 * Porting note: `isCausal` masks future positions itself (PyTorch 2.x: a hint about `src_mask`),
 * and `cache` runs the layer incrementally, so a decoder-only model (GPT) is a stack of these.
 */
import { Dropout, LayerNorm, Linear, Module, tf } from '@lmkit/tensor';
import type { LayerAttention } from './attention-maps.js';
import type { KVCache } from './kv-cache.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { type Activation, type TransformerLayerConfig, feedForward, resolveLayerConfig } from './transformer-config.js';

export type TransformerEncoderLayerConfig = TransformerLayerConfig;

export interface TransformerEncoderLayerOptions {
  /** bool (true = may not attend) or float32 (added): (T, T) or (B·nHead, T, T). */
  readonly srcMask?: tf.Tensor;
  /** bool (true = padding) or float32 (added): (B, T). With a cache, T counts the cached steps. */
  readonly srcKeyPaddingMask?: tf.Tensor;
  /** Each position attends to itself and earlier ones only. Default false. */
  readonly isCausal?: boolean;
  /** A `'self'` KVCache: `src` holds only the new positions (see `MultiHeadAttentionOptions.cache`). */
  readonly cache?: KVCache;
}

export class TransformerEncoderLayer extends Module {
  readonly dModel: number;
  readonly normFirst: boolean;
  readonly activation: Activation;
  readonly selfAttn: MultiHeadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;

  constructor(config: TransformerEncoderLayerConfig) {
    super();
    const c = resolveLayerConfig('TransformerEncoderLayer', config);
    const { dModel: E, rng } = c;
    this.dModel = E;
    this.normFirst = c.normFirst;
    this.activation = c.activation;
    this.selfAttn = this.addModule(
      'self_attn',
      new MultiHeadAttention({ embedDim: E, numHeads: c.nHead, dropout: c.dropout, blockSize: c.blockSize, rng: rng.fork() }),
    );
    this.linear1 = this.addModule('linear1', new Linear({ inFeatures: E, outFeatures: c.dimFeedforward, rng: rng.fork() }));
    this.dropout = this.addModule('dropout', new Dropout({ p: c.dropout, rng: rng.fork() }));
    this.linear2 = this.addModule('linear2', new Linear({ inFeatures: c.dimFeedforward, outFeatures: E, rng: rng.fork() }));
    this.norm1 = this.addModule('norm1', new LayerNorm({ normalizedShape: E, eps: c.layerNormEps }));
    this.norm2 = this.addModule('norm2', new LayerNorm({ normalizedShape: E, eps: c.layerNormEps }));
    this.dropout1 = this.addModule('dropout1', new Dropout({ p: c.dropout, rng: rng.fork() }));
    this.dropout2 = this.addModule('dropout2', new Dropout({ p: c.dropout, rng: rng.fork() }));
  }

  /** src (B, T, E) → (B, T, E). */
  forward(src: tf.Tensor, options: TransformerEncoderLayerOptions = {}): tf.Tensor {
    return this.run(src, options, false)[0];
  }

  /** As `forward`, also returning the self-attention weights per head (B, nHead, T, Tk). */
  forwardWithAttention(src: tf.Tensor, options: TransformerEncoderLayerOptions = {}): { output: tf.Tensor; attention: LayerAttention[] } {
    const [output, weights] = this.run(src, options, true);
    return { output, attention: [{ kind: 'self', weights: weights! }] };
  }

  private run(src: tf.Tensor, options: TransformerEncoderLayerOptions, needWeights: boolean): [tf.Tensor, tf.Tensor?] {
    this.assertLive();
    const result = tf.tidy(() => {
      const selfAttention = (x: tf.Tensor) =>
        this.selfAttn.forward(x, x, x, {
          attnMask: options.srcMask,
          keyPaddingMask: options.srcKeyPaddingMask,
          isCausal: options.isCausal,
          cache: options.cache,
          needWeights,
          averageWeights: false,
        });
      const ff = (x: tf.Tensor) => this.dropout2.forward(feedForward(x, this.linear1, this.activation, this.dropout, this.linear2));
      let x = src; // (B, T, E)
      let attended;
      if (this.normFirst) {
        attended = selfAttention(this.norm1.forward(x));
        x = tf.add(x, this.dropout1.forward(attended.output));
        x = tf.add(x, ff(this.norm2.forward(x)));
      } else {
        attended = selfAttention(x);
        x = this.norm1.forward(tf.add(x, this.dropout1.forward(attended.output)));
        x = this.norm2.forward(tf.add(x, ff(x)));
      }
      return attended.weights === undefined ? [x] : [x, attended.weights];
    });
    return [result[0]!, result[1]];
  }
}
