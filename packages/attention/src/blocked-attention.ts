/**
 * Blocked attention: the result of `scaledDotProductAttention`, computed a block of queries at a
 * time so that no (Tq, Tk) score matrix is ever held, forward or backward. Each block holds its
 * rows of scores against every key it may see, so its softmax is the exact, full-row softmax; the
 * backward pass recomputes each block's weights from q and k instead of storing them, as
 * FlashAttention does (Dao et al., 2022, §3.1 "recomputation"). Peak memory is O(block · Tk)
 * plus the O(T · d) inputs and gradients.
 *
 * With a causal mask a block of queries ending at position e sees keys 0 … e only, so its keys are
 * cut there (about half the work of the plain path; the weights cut off are exactly 0).
 *
 * Porting note: FlashAttention streams keys too, with an online softmax; full rows per query block
 * already give O(T · block) memory and bit-for-bit the plain path's softmax per row, so keys are
 * not blocked. Dropout masks are not stored: each block draws its mask from its own seed, taken
 * from the caller's Rng in the forward pass and replayed in the backward pass (the trax way of
 * saving what must be replayed).
 * Porting note: a float mask gets no gradient on this path (PyTorch's masks never need one).
 */
import { Rng, tf } from '@lmkit/tensor';
import { causalMask } from './masks.js';

export interface BlockedAttentionOptions {
  /** Additive mask broadcasting to (B, H, Tq, Tk), or null. */
  readonly mask: tf.Tensor | null;
  readonly isCausal: boolean;
  readonly dropout: number;
  readonly rng: Rng | undefined;
  readonly blockSize: number;
  readonly returnWeights: boolean;
  readonly scale: number;
}

interface Block {
  /** First query row. */
  readonly start: number;
  /** Query rows. */
  readonly rows: number;
  /** Keys the block may see (0 … keys − 1). */
  readonly keys: number;
  /** Seed of the block's dropout mask. */
  readonly seed: number;
}

/** q (B, H, Tq, d), k (B, H, Tk, d), v (B, H, Tk, dv) → [output (B, H, Tq, dv), weights (B, H, Tq, Tk)?]. */
export function blockedAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, options: BlockedAttentionOptions): tf.Tensor[] {
  const { isCausal, dropout: p, rng, blockSize, scale } = options;
  const Tq = q.shape[2]!;
  const Tk = k.shape[2]!;
  const shift = Tk - Tq; // position of query 0
  const blocks: Block[] = [];
  for (let start = 0; start < Tq; start += blockSize) {
    const rows = Math.min(blockSize, Tq - start);
    const keys = isCausal ? Math.min(Tk, shift + start + rows) : Tk;
    blocks.push({ start, rows, keys, seed: p > 0 ? rng!.nextUint32() | 0 : 0 });
  }
  // The mask as rank 4, so its rows (when it has Tq of them) slice like the scores'.
  const mask4 = options.mask === null ? null : options.mask.reshape([...new Array<number>(4 - options.mask.rank).fill(1), ...options.mask.shape]);

  /** The block's softmax weights and its dropout mask (0 or 1/(1 − p); null without dropout), each (B, H, rows, keys). */
  const weightsOf = (qs: tf.Tensor, kk: tf.Tensor, mask: tf.Tensor | null, b: Block): [tf.Tensor, tf.Tensor | null] => {
    const qb = tf.slice(qs, [0, 0, b.start, 0], [-1, -1, b.rows, -1]); // (B, H, rows, d)
    const kb = tf.slice(kk, [0, 0, 0, 0], [-1, -1, b.keys, -1]); // (B, H, keys, d)
    let scores = tf.matMul(qb, kb, false, true); // (B, H, rows, keys)
    if (mask !== null) {
      const rowsOfMask = mask.shape[2] === 1 ? [0, 1] : [b.start, b.rows];
      scores = tf.add(scores, tf.slice(mask, [0, 0, rowsOfMask[0]!, 0], [-1, -1, rowsOfMask[1]!, b.keys]));
    }
    if (isCausal) scores = tf.add(scores, causalMask(b.rows, b.keys, shift + b.start));
    const weights = tf.softmax(scores); // (B, H, rows, keys)
    return [weights, p > 0 ? tf.mul(new Rng(b.seed).bernoulli(weights.shape, 1 - p), 1 / (1 - p)) : null];
  };
  const dropped = (weights: tf.Tensor, keep: tf.Tensor | null) => (keep === null ? weights : tf.mul(weights, keep));

  const attend = tf.customGrad((...args) => {
    const [qq, kk, vv, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save(mask4 === null ? [qq, kk, vv] : [qq, kk, vv, mask4]);
    const qs = tf.mul(qq, scale); // (B, H, Tq, d)
    const parts = blocks.map((b) =>
      tf.tidy(() => {
        const [weights, keep] = weightsOf(qs, kk, mask4, b);
        return tf.matMul(dropped(weights, keep), tf.slice(vv, [0, 0, 0, 0], [-1, -1, b.keys, -1])); // (B, H, rows, dv)
      }),
    );
    const value = tf.concat(parts, 2); // (B, H, Tq, dv)
    tf.dispose(parts);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy, saved) };
  });

  /** Gradients of q, k and v, block by block, recomputing each block's weights. */
  const backward = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [qq, kk, vv, mask] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const qs = tf.mul(qq, scale); // (B, H, Tq, d)
    let dk = tf.zerosLike(kk); // (B, H, Tk, d)
    let dv = tf.zerosLike(vv); // (B, H, Tk, dv)
    const dqParts: tf.Tensor[] = [];
    for (const b of blocks) {
      const [dq, dkNext, dvNext] = tf.tidy(() => {
        const [weights, keep] = weightsOf(qs, kk, mask ?? null, b); // (B, H, rows, keys)
        const dOut = tf.slice(dy, [0, 0, b.start, 0], [-1, -1, b.rows, -1]); // (B, H, rows, dv)
        const qb = tf.slice(qs, [0, 0, b.start, 0], [-1, -1, b.rows, -1]); // (B, H, rows, d)
        const kb = tf.slice(kk, [0, 0, 0, 0], [-1, -1, b.keys, -1]); // (B, H, keys, d)
        const vb = tf.slice(vv, [0, 0, 0, 0], [-1, -1, b.keys, -1]); // (B, H, keys, dv)
        const dvb = tf.matMul(dropped(weights, keep), dOut, true, false); // (B, H, keys, dv)
        let dWeights = tf.matMul(dOut, vb, false, true); // (B, H, rows, keys)
        if (keep !== null) dWeights = tf.mul(dWeights, keep);
        const dScores = tf.mul(weights, tf.sub(dWeights, tf.sum(tf.mul(dWeights, weights), -1, true))); // (B, H, rows, keys)
        const dqb = tf.mul(tf.matMul(dScores, kb), scale); // (B, H, rows, d)
        const dkb = tf.matMul(dScores, qb, true, false); // (B, H, keys, d)
        const pad = [[0, 0], [0, 0], [0, Tk - b.keys], [0, 0]] as Array<[number, number]>;
        return [dqb, tf.add(dk, tf.pad(dkb, pad)), tf.add(dv, tf.pad(dvb, pad))];
      });
      dk.dispose();
      dv.dispose();
      dqParts.push(dq!);
      dk = dkNext!;
      dv = dvNext!;
    }
    const dq = tf.concat(dqParts, 2); // (B, H, Tq, d)
    tf.dispose(dqParts);
    return [dq, dk, dv];
  };

  const output = attend(q, k, v);
  if (!options.returnWeights) return [output];
  // Weights for inspection, recomputed with ordinary (differentiable) ops and the same dropout seeds.
  const qs = tf.mul(q, scale);
  const rows = blocks.map((b) => tf.tidy(() => tf.pad(dropped(...weightsOf(qs, k, mask4, b)), [[0, 0], [0, 0], [0, 0], [0, Tk - b.keys]])));
  return [output, tf.concat(rows, 2)]; // (B, H, Tq, Tk)
}
