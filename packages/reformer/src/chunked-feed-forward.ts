/**
 * `ChunkedFeedForward`: the position-wise feed-forward block of a Transformer, linear2(act(linear1(x))),
 * computed over the sequence in `chunks` slices (Reformer §3 "Chunking"; Hugging Face
 * `apply_chunking_to_forward`). Every position is independent, so the result is the same; only one
 * slice's [·, dFF] hidden activations exist at a time when no gradient is being recorded.
 *
 * Porting note: names follow PyTorch's `TransformerEncoderLayer` (`linear1`, `linear2`), not Hugging
 * Face Reformer's (`dense.dense`, `output.dense`). Under a gradient tape tfjs keeps every slice's
 * activations anyway; the memory saving then comes from the reversible backward pass, which runs
 * this block again one layer at a time.
 */
import { tf, Linear, Module, Rng, ConfigError, assertLastDim, assertRank, checkInt } from '@lmkit/tensor';
import type { BlockOptions } from './replay.js';

export type FeedForwardActivation = 'relu' | 'gelu';

export interface ChunkedFeedForwardConfig {
  readonly dModel: number;
  /** Hidden width. Default 4·dModel. */
  readonly dFF?: number;
  /** Slices of the sequence computed one after another. Default 1. */
  readonly chunks?: number;
  /** Default 'relu' (as Hugging Face Reformer); 'gelu' is the exact erf form. */
  readonly activation?: FeedForwardActivation;
  /** Seeds the weights. Default 0. */
  readonly seed?: number;
}

export class ChunkedFeedForward extends Module {
  readonly dModel: number;
  readonly dFF: number;
  readonly chunks: number;
  readonly activation: FeedForwardActivation;
  readonly linear1: Linear;
  readonly linear2: Linear;

  constructor(config: ChunkedFeedForwardConfig) {
    super();
    this.dModel = checkInt('ChunkedFeedForward.dModel', config.dModel, 1);
    this.dFF = checkInt('ChunkedFeedForward.dFF', config.dFF ?? 4 * this.dModel, 1);
    this.chunks = checkInt('ChunkedFeedForward.chunks', config.chunks ?? 1, 1);
    const activation = config.activation ?? 'relu';
    if (activation !== 'relu' && activation !== 'gelu') throw new ConfigError('ChunkedFeedForward.activation', "'relu' or 'gelu'", activation);
    this.activation = activation;
    const rng = new Rng(checkInt('ChunkedFeedForward.seed', config.seed ?? 0, -(2 ** 31), 2 ** 32 - 1));
    this.linear1 = this.addModule('linear1', new Linear({ inFeatures: this.dModel, outFeatures: this.dFF, rng: rng.fork() }));
    this.linear2 = this.addModule('linear2', new Linear({ inFeatures: this.dFF, outFeatures: this.dModel, rng: rng.fork() }));
  }

  /** x: [B, T, dModel] → [B, T, dModel]. Block options are accepted (and unused) so it can be a reversible block's g. */
  forward(x: tf.Tensor, _options?: BlockOptions): tf.Tensor {
    this.assertLive();
    assertRank('ChunkedFeedForward.forward(x)', x, [3]);
    assertLastDim('ChunkedFeedForward.forward(x)', x, this.dModel);
    const T = x.shape[1]!;
    const n = Math.min(this.chunks, Math.max(T, 1));
    const sizes = Array.from({ length: n }, (_, i) => Math.floor((T * (i + 1)) / n) - Math.floor((T * i) / n));
    const pieces = n === 1 ? [x] : tf.split(x, sizes, 1);
    const outs = pieces.map((piece) => tf.tidy(() => this.linear2.forward(this.act(this.linear1.forward(piece))))); // (B, t, dModel) each
    if (n > 1) tf.dispose(pieces);
    if (outs.length === 1) return outs[0]!;
    const y = tf.concat(outs, 1);
    tf.dispose(outs);
    return y;
  }

  private act(h: tf.Tensor): tf.Tensor {
    if (this.activation === 'relu') return tf.relu(h);
    return tf.tidy(() => tf.mul(tf.mul(h, 0.5), tf.add(1, tf.erf(tf.mul(h, Math.SQRT1_2)))));
  }
}
