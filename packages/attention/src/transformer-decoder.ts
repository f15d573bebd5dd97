/**
 * `TransformerDecoder`: a stack of `TransformerDecoderLayer`s with an optional final LayerNorm, as
 * `torch.nn.TransformerDecoder` (PyTorch 1.13): parameters `layers.0.…`, `layers.1.…`, `norm.*`.
 *
 * Porting note: PyTorch deep-copies one layer (every layer starts with the same weights); here each
 * layer is built from the config with its own fork of the Rng, so layers start different.
 */
import { ConfigError, LayerNorm, Module, checkInt, tf } from '@lmkit/tensor';
import { type AttentionMap, type StackAttention, readAttentionMaps } from './attention-maps.js';
import { ModuleList } from './module-list.js';
import { type TransformerLayerConfig, resolveLayerConfig } from './transformer-config.js';
import { type DecoderLayerCache, TransformerDecoderLayer, type TransformerDecoderLayerOptions } from './transformer-decoder-layer.js';

export interface TransformerDecoderConfig extends TransformerLayerConfig {
  /** Layers in the stack. */
  readonly numLayers: number;
  /** A LayerNorm after the last layer (PyTorch's `norm` argument; nn.Transformer has one). Default false. */
  readonly finalNorm?: boolean;
}

export interface TransformerDecoderOptions extends Omit<TransformerDecoderLayerOptions, 'cache'> {
  /** One cache per layer, from `createCache()`: `tgt` holds only the new positions. */
  readonly cache?: readonly DecoderLayerCache[];
}

export class TransformerDecoder extends Module {
  readonly layers: readonly TransformerDecoderLayer[];
  readonly norm: LayerNorm | null;

  constructor(config: TransformerDecoderConfig) {
    super();
    const numLayers = checkInt('TransformerDecoder.numLayers', config.numLayers, 1);
    const c = resolveLayerConfig('TransformerDecoder', config);
    const layers = Array.from({ length: numLayers }, () => new TransformerDecoderLayer({ ...c, rng: c.rng.fork() }));
    this.layers = this.addModule('layers', new ModuleList(layers)).items;
    this.norm = config.finalNorm === true ? this.addModule('norm', new LayerNorm({ normalizedShape: c.dModel, eps: c.layerNormEps })) : null;
  }

  /** Empty caches, one per layer, for incremental decoding. */
  createCache(): DecoderLayerCache[] {
    return this.layers.map((layer) => layer.createCache());
  }

  /** tgt (B, T, E), memory (B, S, E) → (B, T, E). */
  forward(tgt: tf.Tensor, memory: tf.Tensor, options: TransformerDecoderOptions = {}): tf.Tensor {
    return this.run(tgt, memory, options, false).output;
  }

  /** As `forward`, also returning every layer's self- and cross-attention weights per head. */
  forwardWithAttention(
    tgt: tf.Tensor,
    memory: tf.Tensor,
    options: TransformerDecoderOptions = {},
  ): { output: tf.Tensor; attention: StackAttention[] } {
    return this.run(tgt, memory, options, true);
  }

  /** Every layer's self- and cross-attention maps, as plain arrays (stack 'decoder'). */
  async attentionMaps(tgt: tf.Tensor, memory: tf.Tensor, options: TransformerDecoderOptions = {}): Promise<AttentionMap[]> {
    const { output, attention } = this.forwardWithAttention(tgt, memory, options);
    output.dispose();
    return readAttentionMaps('decoder', attention);
  }

  private run(
    tgt: tf.Tensor,
    memory: tf.Tensor,
    options: TransformerDecoderOptions,
    needWeights: boolean,
  ): { output: tf.Tensor; attention: StackAttention[] } {
    this.assertLive();
    const { cache } = options;
    if (cache !== undefined && cache.length !== this.layers.length) {
      throw new ConfigError('TransformerDecoder.forward(cache)', `${this.layers.length} layer caches (from createCache())`, `${cache.length}`);
    }
    const found: Array<Omit<StackAttention, 'weights'>> = [];
    const [output, ...weights] = tf.tidy(() => {
      let x = tgt; // (B, T, E)
      const maps: tf.Tensor[] = [];
      this.layers.forEach((layer, i) => {
        const layerOptions = { ...options, cache: cache?.[i] };
        if (!needWeights) {
          x = layer.forward(x, memory, layerOptions);
          return;
        }
        const r = layer.forwardWithAttention(x, memory, layerOptions);
        for (const { kind, weights } of r.attention) {
          found.push({ layer: i, kind });
          maps.push(weights);
        }
        x = r.output;
      });
      return [this.norm === null ? x : this.norm.forward(x), ...maps];
    });
    return { output: output!, attention: found.map((a, i) => ({ ...a, weights: weights[i]! })) };
  }
}
