/**
 * `Transformer`: the encoder-decoder of "Attention Is All You Need" (Vaswani et al., 2017), as
 * `torch.nn.Transformer` (PyTorch 1.13, `batch_first=True`): a `TransformerEncoder` and a
 * `TransformerDecoder`, each with a final LayerNorm, and every weight matrix re-initialised
 * xavier-uniform. Parameters `encoder.layers.0.…`, `encoder.norm.*`, `decoder.layers.0.…`,
 * `decoder.norm.*`. Embeddings and the output projection are not part of it, as in PyTorch.
 *
 * Porting note: `encode` and `decode` (with a cache from `createCache()`) split the forward pass
 * for incremental decoding; PyTorch users call `model.encoder` and `model.decoder` for that.
 */
import { Module, type Rng, ShapeError, checkInt, init, tf } from '@lmkit/tensor';
import { type AttentionMap, readAttentionMaps } from './attention-maps.js';
import { type Activation, resolveLayerConfig } from './transformer-config.js';
import type { DecoderLayerCache } from './transformer-decoder-layer.js';
import { TransformerDecoder, type TransformerDecoderOptions } from './transformer-decoder.js';
import { TransformerEncoder, type TransformerEncoderOptions } from './transformer-encoder.js';

export interface TransformerConfig {
  /** Model width E. Default 512. */
  readonly dModel?: number;
  /** Attention heads; must divide `dModel`. Default 8. */
  readonly nHead?: number;
  /** Default 6. */
  readonly numEncoderLayers?: number;
  /** Default 6. */
  readonly numDecoderLayers?: number;
  /** Width of the feed-forward blocks. Default 2048. */
  readonly dimFeedforward?: number;
  /** Default 0.1. */
  readonly dropout?: number;
  /** Default 'relu'. */
  readonly activation?: Activation;
  /** Default 1e-5. */
  readonly layerNormEps?: number;
  /** Pre-LN layers. Default false. */
  readonly normFirst?: boolean;
  /** Attend in blocks of this many queries. Default: all at once. */
  readonly blockSize?: number;
  /** Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export interface TransformerOptions {
  /** bool (true = may not attend) or float32 (added): (S, S) or (B·nHead, S, S). */
  readonly srcMask?: tf.Tensor;
  /** (T, T) or (B·nHead, T, T). */
  readonly tgtMask?: tf.Tensor;
  /** (T, S) or (B·nHead, T, S). */
  readonly memoryMask?: tf.Tensor;
  /** bool (true = padding) or float32: (B, S). */
  readonly srcKeyPaddingMask?: tf.Tensor;
  /** (B, T). */
  readonly tgtKeyPaddingMask?: tf.Tensor;
  /** (B, S); usually the same as `srcKeyPaddingMask`. */
  readonly memoryKeyPaddingMask?: tf.Tensor;
  /** Target positions attend to earlier ones only. Default false. */
  readonly tgtIsCausal?: boolean;
}

export class Transformer extends Module {
  readonly dModel: number;
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;

  constructor(config: TransformerConfig = {}) {
    super();
    const c = resolveLayerConfig('Transformer', { ...config, dModel: config.dModel ?? 512, nHead: config.nHead ?? 8 });
    const { rng } = c;
    const layer = { ...c, finalNorm: true };
    const numEncoderLayers = checkInt('Transformer.numEncoderLayers', config.numEncoderLayers ?? 6, 1);
    const numDecoderLayers = checkInt('Transformer.numDecoderLayers', config.numDecoderLayers ?? 6, 1);
    this.encoder = this.addModule('encoder', new TransformerEncoder({ ...layer, numLayers: numEncoderLayers, rng: rng.fork() }));
    this.decoder = this.addModule('decoder', new TransformerDecoder({ ...layer, numLayers: numDecoderLayers, rng: rng.fork() }));
    this.dModel = layer.dModel;
    for (const p of this.parameters()) {
      if (p.rank < 2) continue;
      const w = init.xavierUniform(p.shape, { rng });
      p.assign(w);
      w.dispose();
    }
  }

  /** Empty decoder caches, one per decoder layer, for `decode`. */
  createCache(): DecoderLayerCache[] {
    return this.decoder.createCache();
  }

  /** src (B, S, E), tgt (B, T, E) → (B, T, E). */
  forward(src: tf.Tensor, tgt: tf.Tensor, options: TransformerOptions = {}): tf.Tensor {
    this.checkBatch(src, tgt);
    return tf.tidy(() => this.decode(tgt, this.encode(src, options), options));
  }

  /** The encoder alone: src (B, S, E) → memory (B, S, E). */
  encode(src: tf.Tensor, options: Pick<TransformerOptions, 'srcMask' | 'srcKeyPaddingMask'> = {}): tf.Tensor {
    return this.encoder.forward(src, { srcMask: options.srcMask, srcKeyPaddingMask: options.srcKeyPaddingMask });
  }

  /** The decoder alone: tgt (B, T, E), memory (B, S, E) → (B, T, E); with `cache`, tgt holds the new positions only. */
  decode(tgt: tf.Tensor, memory: tf.Tensor, options: TransformerOptions & Pick<TransformerDecoderOptions, 'cache'> = {}): tf.Tensor {
    return this.decoder.forward(tgt, memory, decoderOptions(options));
  }

  /** Every layer's attention maps for (src, tgt): encoder self-attention, then decoder self- and cross-attention. */
  async attentionMaps(src: tf.Tensor, tgt: tf.Tensor, options: TransformerOptions = {}): Promise<AttentionMap[]> {
    this.checkBatch(src, tgt);
    const encoderOptions: TransformerEncoderOptions = { srcMask: options.srcMask, srcKeyPaddingMask: options.srcKeyPaddingMask };
    const encoded = this.encoder.forwardWithAttention(src, encoderOptions);
    const decoded = this.decoder.forwardWithAttention(tgt, encoded.output, decoderOptions(options));
    tf.dispose([encoded.output, decoded.output]);
    return [...(await readAttentionMaps('encoder', encoded.attention)), ...(await readAttentionMaps('decoder', decoded.attention))];
  }

  private checkBatch(src: tf.Tensor, tgt: tf.Tensor): void {
    if (src.rank !== 3 || tgt.rank !== 3 || src.shape[0] !== tgt.shape[0]) {
      const expected = `(B, S, ${this.dModel}) and (B, T, ${this.dModel}) with one batch size B`;
      throw new ShapeError('Transformer(src, tgt)', expected, `[${src.shape.join(', ')}] and [${tgt.shape.join(', ')}]`);
    }
  }
}

function decoderOptions(options: TransformerOptions & Pick<TransformerDecoderOptions, 'cache'>): TransformerDecoderOptions {
  return {
    tgtMask: options.tgtMask,
    memoryMask: options.memoryMask,
    tgtKeyPaddingMask: options.tgtKeyPaddingMask,
    memoryKeyPaddingMask: options.memoryKeyPaddingMask,
    tgtIsCausal: options.tgtIsCausal,
    cache: options.cache,
  };
}
