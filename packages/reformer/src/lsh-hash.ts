/**
 * Angular locality-sensitive hashing by random rotations (Andoni et al. 2015, as used in Reformer,
 * Kitaev et al. 2020 §2): for each round, h(x) = argmax([xR; −xR]) with R a random [d, n/2]
 * Gaussian matrix, so vectors pointing the same way tend to share a bucket. A factorised bucket
 * count [n₁, n₂] hashes with two rotations of n₁/2 and n₂/2 columns and combines the two bucket
 * ids as b₁ + n₁·b₂ (Hugging Face `_hash_vectors`). Padding positions go to an extra bucket
 * `nBuckets`, after every real one, so they never take a place in a chunk of real tokens.
 *
 * Porting note: the rotations come from a seeded `Rng` in JavaScript (one [d, rounds·Σn/2] matrix
 * per head, shared across the batch), so a seed hashes the same on every backend. Hashing runs
 * untaped: buckets are integers and carry no gradient.
 */
import { tf, type Rng } from '@lmkit/tensor';
import { untaped } from './tape.js';

/** The total number of buckets of a plain or factorised bucket count. */
export function bucketCount(nBuckets: number | readonly [number, number]): number {
  return typeof nBuckets === 'number' ? nBuckets : nBuckets[0] * nBuckets[1];
}

/**
 * Bucket ids. qk: [B, H, T, d]; keyPaddingMask: [B, T] bool or null → [B, H, nHashes, T] int32 in
 * [0, nBuckets] (nBuckets itself only for padding).
 */
export function hashBuckets(qk: tf.Tensor, nBuckets: number | readonly [number, number], nHashes: number, rng: Rng, keyPaddingMask: tf.Tensor | null): tf.Tensor {
  const [B, H, T, d] = qk.shape as [number, number, number, number];
  const factors = typeof nBuckets === 'number' ? [nBuckets] : [...nBuckets];
  const width = factors.reduce((s, n) => s + n / 2, 0); // rotation columns per round
  const rotations = rng.randomNormal([H, d, nHashes * width]);
  const buckets = untaped(() =>
    tf.tidy(() => {
      const x = qk.transpose([1, 0, 2, 3]).reshape([H, B * T, d]); // (H, B·T, d)
      const rotated = tf
        .matMul(x, rotations) // (H, B·T, R·width)
        .reshape([H, B, T, nHashes, width])
        .transpose([1, 0, 3, 2, 4]); // (B, H, R, T, width)
      let combined: tf.Tensor | null = null;
      let factor = 1;
      let offset = 0;
      for (const n of factors) {
        const part = tf.slice(rotated, [0, 0, 0, 0, offset], [-1, -1, -1, -1, n / 2]);
        const ids = tf.argMax(tf.concat([part, tf.neg(part)], -1), -1); // (B, H, R, T)
        combined = combined === null ? ids : tf.add(combined, tf.mul(ids, tf.scalar(factor, 'int32')));
        factor *= n;
        offset += n / 2;
      }
      let result = combined!;
      if (keyPaddingMask !== null) {
        result = tf.where(keyPaddingMask.reshape([B, 1, 1, T]), tf.scalar(factor, 'int32'), result);
      }
      return result.toInt();
    }),
  );
  rotations.dispose();
  return buckets;
}
