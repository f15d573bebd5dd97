/**
 * `TransformerEncoder`: a stack of `TransformerEncoderLayer`s with an optional final LayerNorm, as
 * `torch.nn.TransformerEncoder` (PyTorch 1.13): parameters `layers.0.…`, `layers.1.…`, `norm.*`.
 *
 * Porting note: PyTorch deep-copies one layer (every layer starts with the same weights); here each
 * layer is built from the config with its own fork of the Rng, so layers start different.
 * Porting note: the nested-tensor fast path for padded batches is not ported (same numbers, slower).
 */
import { ConfigError, LayerNorm, Module, checkInt, tf } from '@lmkit/tensor';
import { type AttentionMap, type StackAttention, readAttentionMaps } from './attention-maps.js';
import { KVCache } from './kv-cache.js';
import { ModuleList } from './module-list.js';
import { type TransformerLayerConfig, resolveLayerConfig } from './transformer-config.js';
import { TransformerEncoderLayer, type TransformerEncoderLayerOptions } from './transformer-encoder-layer.js';

export interface TransformerEncoderConfig extends TransformerLayerConfig {
  /** Layers in the stack. */
  readonly numLayers: number;
  /** A LayerNorm after the last layer (PyTorch's `norm` argument; pre-LN stacks want one). Default false. */
  readonly finalNorm?: boolean;
}

export interface TransformerEncoderOptions extends Omit<TransformerEncoderLayerOptions, 'cache'> {
  /** One `'self'` KVCache per layer, from `createCache()`: `src` holds only the new positions. */
  readonly cache?: readonly KVCache[];
}

export class TransformerEncoder extends Module {
  readonly layers: readonly TransformerEncoderLayer[];
  readonly norm: LayerNorm | null;

  constructor(config: TransformerEncoderConfig) {
    super();
    const numLayers = checkInt('TransformerEncoder.numLayers', config.numLayers, 1);
    const c = resolveLayerConfig('TransformerEncoder', config);
    const layers = Array.from({ length: numLayers }, () => new TransformerEncoderLayer({ ...c, rng: c.rng.fork() }));
    this.layers = this.addModule('layers', new ModuleList(layers)).items;
    this.norm = config.finalNorm === true ? this.addModule('norm', new LayerNorm({ normalizedShape: c.dModel, eps: c.layerNormEps })) : null;
  }

  /** One empty cache per layer, for incremental (causal) decoding. */
  createCache(): KVCache[] {
    return this.layers.map(() => new KVCache());
  }

  /** src (B, T, E) → (B, T, E). */
  forward(src: tf.Tensor, options: TransformerEncoderOptions = {}): tf.Tensor {
    return this.run(src, options, false).output;
  }

  /** As `forward`, also returning every layer's self-attention weights per head (B, nHead, T, Tk). */
  forwardWithAttention(src: tf.Tensor, options: TransformerEncoderOptions = {}): { output: tf.Tensor; attention: StackAttention[] } {
    return this.run(src, options, true);
  }

  /** Every layer's attention map for `src`, as plain arrays (stack 'encoder'). */
  async attentionMaps(src: tf.Tensor, options: TransformerEncoderOptions = {}): Promise<AttentionMap[]> {
    const { output, attention } = this.forwardWithAttention(src, options);
    output.dispose();
    return readAttentionMaps('encoder', attention);
  }

  private run(src: tf.Tensor, options: TransformerEncoderOptions, needWeights: boolean): { output: tf.Tensor; attention: StackAttention[] } {
    this.assertLive();
    const { cache } = options;
    if (cache !== undefined && cache.length !== this.layers.length) {
      throw new ConfigError('TransformerEncoder.forward(cache)', `${this.layers.length} layer caches (from createCache())`, `${cache.length}`);
    }
    const found: Array<Omit<StackAttention, 'weights'>> = [];
    const [output, ...weights] = tf.tidy(() => {
      let x = src; // (B, T, E)
      const maps: tf.Tensor[] = [];
      this.layers.forEach((layer, i) => {
        const layerOptions = { ...options, cache: cache?.[i] };
        if (!needWeights) {
          x = layer.forward(x, layerOptions);
          return;
        }
        const r = layer.forwardWithAttention(x, layerOptions);
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
