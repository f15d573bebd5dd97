/**
 * `TransformerDecoderLayer`: self-attention over the target, cross-attention to the encoder's
 * memory, then a feed-forward block, each in a residual branch with LayerNorm (Vaswani et al.,
 * 2017, §3.1), as `torch.nn.TransformerDecoderLayer` (PyTorch 1.13, `batch_first=True`), post-LN
 * or, with `normFirst`, pre-LN. Parameter names as PyTorch: `self_attn.*`, `multihead_attn.*`,
 * `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`, `norm3.*`.
 *
 * Porting note: `tgtIsCausal` masks future target positions itself, and `cache` (from
 * `createCache()`) decodes incrementally: the self-attention appends each step's keys and values,
 * the cross-attention projects the memory once and reuses it.
 */
import { Dropout, LayerNorm, Linear, Module, tf } from '@lmkit/tensor';
import type { LayerAttention } from './attention-maps.js';
import { KVCache } from './kv-cache.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { type Activation, type TransformerLayerConfig, feedForward, resolveLayerConfig } from './transformer-config.js';

export type TransformerDecoderLayerConfig = TransformerLayerConfig;

/** A decoder layer's incremental state: its self-attention and cross-attention caches. */
export interface DecoderLayerCache {
  readonly self: KVCache;
  readonly cross: KVCache;
}

export interface TransformerDecoderLayerOptions {
  /** bool (true = may not attend) or float32 (added): (T, T) or (B·nHead, T, T). */
  readonly tgtMask?: tf.Tensor;
  /** bool or float32: (T, S) or (B·nHead, T, S). */
  readonly memoryMask?: tf.Tensor;
  /** bool (true = padding) or float32: (B, T); with a cache T counts the cached steps. */
  readonly tgtKeyPaddingMask?: tf.Tensor;
  /** bool (true = padding) or float32: (B, S). */
  readonly memoryKeyPaddingMask?: tf.Tensor;
  /** Each target position attends to itself and earlier ones only. Default false. */
  readonly tgtIsCausal?: boolean;
  /** From `createCache()`: `tgt` holds only the new positions. */
  readonly cache?: DecoderLayerCache;
}

export class TransformerDecoderLayer extends Module {
  readonly dModel: number;
  readonly normFirst: boolean;
  readonly activation: Activation;
  readonly selfAttn: MultiHeadAttention;
  readonly multiheadAttn: MultiHeadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;

  constructor(config: TransformerDecoderLayerConfig) {
    super();
    const c = resolveLayerConfig('TransformerDecoderLayer', config);
    const { dModel: E, rng } = c;
    this.dModel = E;
    this.normFirst = c.normFirst;
    this.activation = c.activation;
    const attention = () => new MultiHeadAttention({ embedDim: E, numHeads: c.nHead, dropout: c.dropout, blockSize: c.blockSize, rng: rng.fork() });
    this.selfAttn = this.addModule('self_attn', attention());
    this.multiheadAttn = this.addModule('multihead_attn', attention());
    this.linear1 = this.addModule('linear1', new Linear({ inFeatures: E, outFeatures: c.dimFeedforward, rng: rng.fork() }));
    this.dropout = this.addModule('dropout', new Dropout({ p: c.dropout, rng: rng.fork() }));
    this.linear2 = this.addModule('linear2', new Linear({ inFeatures: c.dimFeedforward, outFeatures: E, rng: rng.fork() }));
    this.norm1 = this.addModule('norm1', new LayerNorm({ normalizedShape: E, eps: c.layerNormEps }));
    this.norm2 = this.addModule('norm2', new LayerNorm({ normalizedShape: E, eps: c.layerNormEps }));
    this.norm3 = this.addModule('norm3', new LayerNorm({ normalizedShape: E, eps: c.layerNormEps }));
    this.dropout1 = this.addModule('dropout1', new Dropout({ p: c.dropout, rng: rng.fork() }));
    this.dropout2 = this.addModule('dropout2', new Dropout({ p: c.dropout, rng: rng.fork() }));
    this.dropout3 = this.addModule('dropout3', new Dropout({ p: c.dropout, rng: rng.fork() }));
  }

  /** An empty cache for incremental decoding with this layer. */
  createCache(): DecoderLayerCache {
    return { self: new KVCache({ kind: 'self' }), cross: new KVCache({ kind: 'cross' }) };
  }

  /** tgt (B, T, E), memory (B, S, E) → (B, T, E). */
  forward(tgt: tf.Tensor, memory: tf.Tensor, options: TransformerDecoderLayerOptions = {}): tf.Tensor {
    return this.run(tgt, memory, options, false)[0];
  }

  /** As `forward`, also returning the self- (B, nHead, T, T) and cross-attention (B, nHead, T, S) weights per head. */
  forwardWithAttention(
    tgt: tf.Tensor,
    memory: tf.Tensor,
    options: TransformerDecoderLayerOptions = {},
  ): { output: tf.Tensor; attention: LayerAttention[] } {
    const [output, selfWeights, crossWeights] = this.run(tgt, memory, options, true);
    return { output, attention: [{ kind: 'self', weights: selfWeights! }, { kind: 'cross', weights: crossWeights! }] };
  }

  private run(tgt: tf.Tensor, memory: tf.Tensor, options: TransformerDecoderLayerOptions, needWeights: boolean): [tf.Tensor, tf.Tensor?, tf.Tensor?] {
    this.assertLive();
    const result = tf.tidy(() => {
      const selfAttention = (x: tf.Tensor) =>
        this.selfAttn.forward(x, x, x, {
          attnMask: options.tgtMask,
          keyPaddingMask: options.tgtKeyPaddingMask,
          isCausal: options.tgtIsCausal,
          cache: options.cache?.self,
          needWeights,
          averageWeights: false,
        });
      const crossAttention = (x: tf.Tensor) =>
        this.multiheadAttn.forward(x, memory, memory, {
          attnMask: options.memoryMask,
          keyPaddingMask: options.memoryKeyPaddingMask,
          cache: options.cache?.cross,
          needWeights,
          averageWeights: false,
        });
      const ff = (x: tf.Tensor) => this.dropout3.forward(feedForward(x, this.linear1, this.activation, this.dropout, this.linear2));
      let x = tgt; // (B, T, E)
      let sa;
      let ca;
      if (this.normFirst) {
        sa = selfAttention(this.norm1.forward(x));
        x = tf.add(x, this.dropout1.forward(sa.output));
        ca = crossAttention(this.norm2.forward(x));
        x = tf.add(x, this.dropout2.forward(ca.output));
        x = tf.add(x, ff(this.norm3.forward(x)));
      } else {
        sa = selfAttention(x);
        x = this.norm1.forward(tf.add(x, this.dropout1.forward(sa.output)));
        ca = crossAttention(x);
        x = this.norm2.forward(tf.add(x, this.dropout2.forward(ca.output)));
        x = this.norm3.forward(tf.add(x, ff(x)));
      }
      return needWeights ? [x, sa.weights!, ca.weights!] : [x];
    });
    return [result[0]!, result[1], result[2]];
  }
}
