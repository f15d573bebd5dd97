/**
 * `ReformerEncoder`: axial positional embeddings (`AxialPositionalEncoding` of `@lmkit/embeddings`,
 * dims split in halves), then `numLayers` Reformer layers — pre-normalised
 * LSH self-attention f and chunked feed-forward g — as reversible blocks (trax `Reformer`,
 * Hugging Face `ReformerModel`), then a final LayerNorm. With `reversible: false` the same layers
 * run as ordinary residual blocks, h ← h + f(h), h ← h + g(h), for comparison.
 *
 * Porting note: trax and Hugging Face feed [x; x] to the reversible stack and keep [y₁; y₂] of
 * width 2·dModel; this encoder returns LayerNorm((y₁ + y₂) / 2) so its output is [B, T, dModel]
 * like any encoder's.
 */
import { AxialPositionalEncoding } from '@lmkit/embeddings';
import { tf, LayerNorm, Module, Rng, ConfigError, assertLastDim, assertRank, checkInt } from '@lmkit/tensor';
import type { FeedForwardActivation } from './chunked-feed-forward.js';
import type { LSHSelfAttentionConfig } from './lsh-self-attention.js';
import { ReversibleBlock, ReversibleSequence } from './reversible.js';
import { AttentionSublayer, FeedForwardSublayer } from './sublayers.js';

export interface ReformerEncoderConfig {
  readonly dModel: number;
  readonly numHeads: number;
  readonly numLayers: number;
  /** Feed-forward width. Default 4·dModel. */
  readonly dFF?: number;
  /** LSH chunk length. Default 64. */
  readonly chunkLength?: number;
  /** LSH hash rounds. Default 1. */
  readonly nHashes?: number;
  /** Feed-forward chunks along the sequence. Default 1. */
  readonly ffChunks?: number;
  /** Causal attention. Default false. */
  readonly causal?: boolean;
  /** Reversible blocks (activation memory flat in depth). Default true. */
  readonly reversible?: boolean;
  /** The axial grid [n₁, n₂]; sequences up to n₁·n₂ tokens. Default [64, 64]. */
  readonly axialShape?: readonly [number, number];
  /** Feed-forward activation. Default 'relu'. */
  readonly activation?: FeedForwardActivation;
  /** Further LSH settings (nBuckets, chunks before/after, dropout, fullAttentionBelow, bias). */
  readonly attention?: Omit<LSHSelfAttentionConfig, 'embedDim' | 'numHeads' | 'chunkLength' | 'nHashes' | 'causal' | 'seed'>;
  /** Seeds every weight and every layer's hashing. Default 0. */
  readonly seed?: number;
}

export class ReformerEncoder extends Module {
  readonly dModel: number;
  readonly reversible: boolean;
  readonly positionEmbeddings: AxialPositionalEncoding;
  readonly layers: ReversibleSequence;
  readonly norm: LayerNorm;

  constructor(config: ReformerEncoderConfig) {
    super();
    this.dModel = checkInt('ReformerEncoder.dModel', config.dModel, 2);
    const numLayers = checkInt('ReformerEncoder.numLayers', config.numLayers, 1);
    const reversible = config.reversible ?? true;
    if (typeof reversible !== 'boolean') throw new ConfigError('ReformerEncoder.reversible', 'a boolean', reversible);
    this.reversible = reversible;
    const rng = new Rng(checkInt('ReformerEncoder.seed', config.seed ?? 0, -(2 ** 31), 2 ** 32 - 1));
    const half = Math.floor(this.dModel / 2);
    this.positionEmbeddings = this.addModule('position_embeddings', new AxialPositionalEncoding({
      axialShape: config.axialShape ?? [64, 64],
      axialDims: [half, this.dModel - half],
      rng: new Rng(rng.nextUint32()),
    }));
    const blocks = Array.from({ length: numLayers }, () => {
      const f = new AttentionSublayer({
        ...config.attention,
        embedDim: this.dModel,
        numHeads: config.numHeads,
        chunkLength: config.chunkLength ?? 64,
        nHashes: config.nHashes ?? 1,
        causal: config.causal ?? false,
        seed: rng.nextUint32(),
      });
      const g = new FeedForwardSublayer({ dModel: this.dModel, dFF: config.dFF, chunks: config.ffChunks ?? 1, activation: config.activation, seed: rng.nextUint32() });
      return new ReversibleBlock(f, g);
    });
    this.layers = this.addModule('layers', new ReversibleSequence(blocks));
    this.norm = this.addModule('norm', new LayerNorm({ normalizedShape: this.dModel }));
  }

  /**
   * x: [B, T, dModel] → [B, T, dModel].
   * @example const y = new ReformerEncoder({ dModel: 64, numHeads: 4, numLayers: 2, chunkLength: 32 }).forward(x);
   */
  forward(x: tf.Tensor, options: { readonly keyPaddingMask?: tf.Tensor } = {}): tf.Tensor {
    this.assertLive();
    assertRank('ReformerEncoder.forward(x)', x, [3]);
    assertLastDim('ReformerEncoder.forward(x)', x, this.dModel);
    return tf.tidy(() => {
      const h = this.positionEmbeddings.forward(x); // x + positions (B, T, dModel)
      if (this.reversible) {
        const [y1, y2] = this.layers.forward(h, h, options);
        return this.norm.forward(tf.mul(tf.add(y1, y2), 0.5));
      }
      let r = h;
      for (const block of this.layers.blocks) {
        r = tf.add(r, block.f.forward(r, options));
        r = tf.add(r, block.g.forward(r, options));
      }
      return this.norm.forward(r);
    });
  }
}
