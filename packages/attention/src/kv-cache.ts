/**
 * `KVCache`: the projected keys and values one attention layer has seen, kept between calls for
 * incremental decoding, as `past_key_values` in Hugging Face transformers (Wolf et al., 2020) and
 * fairseq's `incremental_state`. A step then projects only its new tokens and attends over the
 * cache: O(T) work per token instead of re-running the O(T²) prefix.
 *
 * Two kinds: `'self'` appends each call's keys and values (self-attention over the tokens so far);
 * `'cross'` stores the first call's keys and values and reuses them (cross-attention to an
 * encoder memory that does not change while decoding).
 *
 * Porting note: tensors are immutable in tfjs, so appending concatenates (an O(T) copy per step,
 * the same order as the step's attention) instead of writing into a preallocated buffer.
 */
import { ConfigError, ShapeError, tf } from '@lmkit/tensor';

export type KVCacheKind = 'self' | 'cross';

export interface KVCacheConfig {
  /** `'self'` appends every call; `'cross'` keeps the first call's keys and values. Default 'self'. */
  readonly kind?: KVCacheKind;
}

export class KVCache {
  readonly kind: KVCacheKind;
  private k: tf.Tensor | null = null; // (B, nh, T, hs)
  private v: tf.Tensor | null = null; // (B, nh, T, hs)

  constructor(config: KVCacheConfig = {}) {
    const kind = config.kind ?? 'self';
    if (kind !== 'self' && kind !== 'cross') throw new ConfigError('KVCache.kind', "'self' or 'cross'", kind);
    this.kind = kind;
  }

  /** The number of cached time steps (0 when empty). */
  get length(): number {
    return this.k?.shape[2] ?? 0;
  }

  /** The cached keys (B, nh, T, hs) and values (B, nh, T, hsv), or null when empty. Owned by the cache. */
  get cached(): [tf.Tensor, tf.Tensor] | null {
    return this.k === null ? null : [this.k, this.v!];
  }

  /** True for a `'cross'` cache that holds its keys and values: a layer reuses them as they are. */
  get isFilled(): boolean {
    return this.kind === 'cross' && this.k !== null;
  }

  /**
   * Adds keys (B, nh, Tnew, hs) and values (B, nh, Tnew, hsv) — a `'self'` cache appends them, a
   * `'cross'` cache replaces what it held — and returns everything cached, (B, nh, T, hs) and
   * (B, nh, T, hsv). The cache keeps its own tensors, so this may run inside `tf.tidy`.
   */
  update(k: tf.Tensor, v: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const append = this.kind === 'self' && this.k !== null;
    const [nextK, nextV] = append ? [tf.concat([this.k!, k], 2), tf.concat([this.v!, v], 2)] : [tf.clone(k), tf.clone(v)];
    this.reset();
    this.k = tf.keep(nextK);
    this.v = tf.keep(nextV);
    return [this.k, this.v];
  }

  /**
   * Keeps the batch rows `rows` (in that order, repeats allowed), as beam search needs after each
   * step: `reorder([0, 0, 1])` keeps row 0 twice, then row 1.
   */
  reorder(rows: readonly number[]): void {
    if (this.k === null) return;
    const B = this.k.shape[0]!;
    if (rows.length === 0 || rows.some((r) => !Number.isInteger(r) || r < 0 || r >= B)) {
      throw new ConfigError('KVCache.reorder(rows)', `a non-empty list of batch rows in [0, ${B - 1}]`, rows);
    }
    const [k, v] = tf.tidy(() => {
      const index = tf.tensor1d([...rows], 'int32');
      return [tf.gather(this.k!, index, 0), tf.gather(this.v!, index, 0)];
    });
    this.reset();
    this.k = tf.keep(k!);
    this.v = tf.keep(v!);
  }

  /** Empties the cache (frees its tensors); it can be filled again. */
  reset(): void {
    this.k?.dispose();
    this.v?.dispose();
    this.k = null;
    this.v = null;
  }

  /** Frees the cached tensors (same as `reset`). */
  dispose(): void {
    this.reset();
  }

  /** Throws unless this cache can serve a layer of `numHeads` heads on a batch of `batchSize`. */
  assertFits(argument: string, batchSize: number, numHeads: number): void {
    if (this.k === null) return;
    const [B, nh] = this.k.shape;
    if (B !== batchSize) throw new ShapeError(argument, `a cache of batch size ${batchSize} (the input's)`, `a cache of batch size ${B}`);
    if (nh !== numHeads) throw new ShapeError(argument, `a cache of ${numHeads} heads (the layer's)`, `a cache of ${nh} heads`);
  }
}
