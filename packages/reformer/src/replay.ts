/**
 * `Replay`: what a stochastic layer saves in one forward pass so that a second run of the same
 * forward (the reversible backward pass, a gradient check) computes the same function — the seed
 * of its random draws (hash rotations, dropout masks) and the LSH buckets it attended with.
 *
 * Follows trax's reversible layers, which save the layer's rng and LSH buckets in the forward
 * pass and reuse them in `reverse_and_grad`.
 *
 * Porting note: trax threads an rng through every call; here each layer draws a 32-bit seed from
 * its own seeded `Rng` per forward call, and a `Replay` passed to `forward` records that seed (and
 * the buckets) the first time and replays them on every later call with the same `Replay`.
 */
import { tf } from '@lmkit/tensor';

export class Replay {
  /** The seed of the recorded pass; undefined until a forward pass records one. */
  seed: number | undefined;
  /** The recorded LSH buckets [B, H, nHashes, T′] (T′: T padded to whole chunks), owned by this record. */
  buckets: tf.Tensor | undefined;

  /** The recorded seed, or a new one from `draw` (recorded for the next call). */
  seedOr(draw: () => number): number {
    this.seed ??= draw();
    return this.seed;
  }

  /** Frees the recorded buckets and forgets the seed. */
  dispose(): void {
    this.buckets?.dispose();
    this.buckets = undefined;
    this.seed = undefined;
  }
}

/** Options every block function `f` / `g` of a reversible block accepts. */
export interface BlockOptions {
  /** [B, T], true (or non-zero) = a padding position that no query attends to. */
  readonly keyPaddingMask?: tf.Tensor;
  /** Records the random state of the first call and replays it afterwards. */
  readonly replay?: Replay;
}
