/**
 * `LSHSelfAttention`: Reformer's multi-head self-attention with shared query–key projection and
 * locality-sensitive hashing (Kitaev, Kaiser & Levskaya 2020, arXiv 2001.04451; trax
 * `LSHSelfAttention`, Hugging Face `ReformerAttention` with `LSHSelfAttention`).
 *
 * Per call: qk = x·W_qkᵀ and v = x·W_vᵀ split into heads; each head's qk is hashed `nHashes` times
 * by random rotations; tokens attend within their chunk of the bucket-sorted sequence and its
 * neighbours (lsh-attention.ts) with shared-QK scores (shared-qk.ts); the heads are merged and
 * projected by W_out. Below `fullAttentionBelow` tokens it computes full shared-QK attention.
 *
 * Porting note: T need not be a multiple of `chunkLength`: the sequence is padded to whole chunks
 * internally (the padding is masked and hashed to its own bucket) and the output cut back to T.
 * Hugging Face switches to full attention whenever T ≤ chunkLength; here only `fullAttentionBelow`
 * does, so the LSH path itself can be checked against full attention on one chunk.
 * Porting note: the key-padding mask follows PyTorch's `key_padding_mask` (true = padding); Hugging
 * Face's `attention_mask` is the opposite (1 = keep).
 */
import { tf, Linear, Module, Rng, ConfigError, ShapeError, assertDtype, assertLastDim, assertRank, assertShape, checkInt, checkNumber } from '@lmkit/tensor';
import { bucketCount, hashBuckets } from './lsh-hash.js';
import { lshAttention, lshPlan, disposePlan, type LSHChunking } from './lsh-attention.js';
import { type Replay } from './replay.js';
import { sharedQKAttention } from './shared-qk.js';

export interface LSHSelfAttentionConfig {
  readonly embedDim: number;
  /** Must divide `embedDim`. */
  readonly numHeads: number;
  /** Tokens per chunk of the sorted sequence. Default 64. */
  readonly chunkLength?: number;
  /** Hash rounds. Default 1. */
  readonly nHashes?: number;
  /** An even bucket count, or a factorised pair [n₁, n₂] of even counts (n₁·n₂ buckets). Default 2·⌈T / chunkLength⌉ per call. */
  readonly nBuckets?: number | readonly [number, number];
  /** Neighbouring chunks before each chunk that it attends to. Default 1. */
  readonly nChunksBefore?: number;
  /** Neighbouring chunks after each chunk that it attends to. Default 0. */
  readonly nChunksAfter?: number;
  /** Query i attends only to keys j ≤ i. Default false. */
  readonly causal?: boolean;
  /** Dropout on the attention probabilities, in [0, 1). Default 0. */
  readonly dropout?: number;
  /** Sequences shorter than this use full shared-QK attention. Default 0 (never). */
  readonly fullAttentionBelow?: number;
  /** Biases on the qk, v and out projections. Default false (as trax and Hugging Face). */
  readonly bias?: boolean;
  /** Seeds the weights and the per-call hash rotations and dropout. Default 0. */
  readonly seed?: number;
}

export interface LSHForwardOptions {
  /** [B, T] bool (or 0/1 numbers), true = padding: no query attends to it. */
  readonly keyPaddingMask?: tf.Tensor;
  /** Also return the buckets [B, H, nHashes, T]. Default false. */
  readonly returnBuckets?: boolean;
  /** Records this call's seed and buckets, or replays those recorded before (see `Replay`). */
  readonly replay?: Replay;
}

export interface LSHOutput {
  /** [B, T, E]. */
  readonly output: tf.Tensor;
  /** [B, H, nHashes, T] int32 in [0, nBuckets]; nBuckets marks padding. Only with `returnBuckets` on the LSH path. */
  readonly buckets?: tf.Tensor;
}

const MAX_SORT_KEY = 2 ** 31 - 1;

export class LSHSelfAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly chunkLength: number;
  readonly nHashes: number;
  readonly nBuckets: number | readonly [number, number] | undefined;
  readonly nChunksBefore: number;
  readonly nChunksAfter: number;
  readonly causal: boolean;
  readonly dropout: number;
  readonly fullAttentionBelow: number;
  readonly qk: Linear;
  readonly v: Linear;
  readonly out: Linear;
  private readonly rng: Rng;

  constructor(config: LSHSelfAttentionConfig) {
    super();
    this.embedDim = checkInt('LSHSelfAttention.embedDim', config.embedDim, 1);
    this.numHeads = checkInt('LSHSelfAttention.numHeads', config.numHeads, 1);
    if (this.embedDim % this.numHeads !== 0) throw new ConfigError('LSHSelfAttention.numHeads', `a divisor of embedDim ${this.embedDim}`, this.numHeads);
    this.headDim = this.embedDim / this.numHeads;
    this.chunkLength = checkInt('LSHSelfAttention.chunkLength', config.chunkLength ?? 64, 1);
    this.nHashes = checkInt('LSHSelfAttention.nHashes', config.nHashes ?? 1, 1);
    this.nBuckets = checkBuckets(config.nBuckets);
    this.nChunksBefore = checkInt('LSHSelfAttention.nChunksBefore', config.nChunksBefore ?? 1, 0);
    this.nChunksAfter = checkInt('LSHSelfAttention.nChunksAfter', config.nChunksAfter ?? 0, 0);
    this.causal = config.causal ?? false;
    this.dropout = checkNumber('LSHSelfAttention.dropout', config.dropout ?? 0, 0, 1, true);
    this.fullAttentionBelow = checkInt('LSHSelfAttention.fullAttentionBelow', config.fullAttentionBelow ?? 0, 0);
    const rng = new Rng(checkInt('LSHSelfAttention.seed', config.seed ?? 0, -(2 ** 31), 2 ** 32 - 1));
    const bias = config.bias ?? false;
    const E = this.embedDim;
    this.qk = this.addModule('qk', new Linear({ inFeatures: E, outFeatures: E, bias, rng: rng.fork() }));
    this.v = this.addModule('v', new Linear({ inFeatures: E, outFeatures: E, bias, rng: rng.fork() }));
    this.out = this.addModule('out', new Linear({ inFeatures: E, outFeatures: E, bias, rng: rng.fork() }));
    this.rng = rng.fork();
  }

  /**
   * x: [B, T, E] → { output: [B, T, E], buckets?: [B, H, nHashes, T] }.
   * @example const { output, buckets } = attn.forward(x, { returnBuckets: true });
   */
  forward(x: tf.Tensor, options: LSHForwardOptions = {}): LSHOutput {
    this.assertLive();
    assertRank('LSHSelfAttention.forward(x)', x, [3]);
    assertLastDim('LSHSelfAttention.forward(x)', x, this.embedDim);
    const [B, T] = x.shape as [number, number, number];
    const { keyPaddingMask, returnBuckets = false, replay } = options;
    if (keyPaddingMask !== undefined) {
      assertShape('LSHSelfAttention.forward(keyPaddingMask)', keyPaddingMask, [B, T]);
      assertDtype('LSHSelfAttention.forward(keyPaddingMask)', keyPaddingMask, ['bool', 'int32', 'float32']);
    }
    const rng = new Rng(replay === undefined ? this.rng.nextUint32() : replay.seedOr(() => this.rng.nextUint32()));
    const hashRng = rng.fork();
    const dropRng = rng.fork();
    const p = this.training ? this.dropout : 0;
    const H = this.numHeads;
    const R = this.nHashes;
    const c = this.chunkLength;

    if (T < this.fullAttentionBelow) {
      return tf.tidy(() => {
        const pad = keyPaddingMask === undefined ? null : tf.notEqual(keyPaddingMask, 0);
        const out = sharedQKAttention(this.heads(this.qk.forward(x)), this.heads(this.v.forward(x)), { causal: this.causal, keyPaddingMask: pad, dropout: p, rng: dropRng });
        return { output: this.out.forward(this.merge(out)) };
      });
    }

    const Tp = Math.ceil(T / c) * c; // padded to whole chunks
    const nBuckets = this.nBuckets ?? 2 * (Tp / c);
    if ((bucketCount(nBuckets) + 1) * Tp > MAX_SORT_KEY) {
      throw new ShapeError('LSHSelfAttention.forward(x)', `(nBuckets + 1)·T < 2^31 (the int32 sort keys bucket·T + position)`, `T = ${T} with ${bucketCount(nBuckets)} buckets`);
    }
    if (replay?.buckets !== undefined) assertShape('LSHSelfAttention.forward(replay.buckets)', replay.buckets, [B, H, R, Tp]);
    const chunking: LSHChunking = { chunkLength: c, nChunksBefore: this.nChunksBefore, nChunksAfter: this.nChunksAfter, causal: this.causal };
    return tf.tidy(() => {
      let padded = keyPaddingMask === undefined ? null : tf.notEqual(keyPaddingMask, 0).toInt(); // (B, T)
      let qk = this.heads(this.qk.forward(x)); // (B, H, T, d)
      let v = this.heads(this.v.forward(x)); // (B, H, T, d)
      if (Tp > T) {
        padded = tf.concat([padded ?? tf.zeros([B, T], 'int32'), tf.ones([B, Tp - T], 'int32')], 1); // (B, Tp)
        qk = tf.pad(qk, [[0, 0], [0, 0], [0, Tp - T], [0, 0]]); // (B, H, Tp, d)
        v = tf.pad(v, [[0, 0], [0, 0], [0, Tp - T], [0, 0]]);
      }
      const pad = padded === null ? null : tf.notEqual(padded, 0); // (B, Tp) bool
      let buckets = replay?.buckets;
      if (buckets === undefined) {
        buckets = hashBuckets(qk, nBuckets, R, hashRng, pad); // (B, H, R, Tp)
        if (replay !== undefined) replay.buckets = tf.keep(buckets.clone());
      }
      const plan = lshPlan(buckets, pad, chunking);
      let out = lshAttention(qk, v, plan, R, chunking, p, dropRng); // (B, H, Tp, d)
      disposePlan(plan);
      if (Tp > T) out = tf.slice(out, [0, 0, 0, 0], [B, H, T, this.headDim]);
      const output = this.out.forward(this.merge(out));
      if (!returnBuckets) return { output };
      return { output, buckets: tf.slice(buckets, [0, 0, 0, 0], [B, H, R, T]).clone() };
    });
  }

  /** [B, T, E] → [B, H, T, d]. */
  private heads(x: tf.Tensor): tf.Tensor {
    const [B, T] = x.shape as [number, number, number];
    return x.reshape([B, T, this.numHeads, this.headDim]).transpose([0, 2, 1, 3]);
  }

  /** [B, H, T, d] → [B, T, E]. */
  private merge(x: tf.Tensor): tf.Tensor {
    const [B, , T] = x.shape as [number, number, number, number];
    return x.transpose([0, 2, 1, 3]).reshape([B, T, this.embedDim]);
  }
}

function checkBuckets(n: LSHSelfAttentionConfig['nBuckets']): number | readonly [number, number] | undefined {
  const field = 'LSHSelfAttention.nBuckets';
  const even = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 2 && v % 2 === 0;
  if (n === undefined) return undefined;
  if (typeof n === 'number') {
    if (!even(n)) throw new ConfigError(field, 'an even integer ≥ 2 or a pair of them', n);
    return n;
  }
  if (!Array.isArray(n) || n.length !== 2 || !n.every(even)) throw new ConfigError(field, 'an even integer ≥ 2 or a pair of them', n);
  return [n[0]!, n[1]!];
}
