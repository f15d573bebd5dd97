/**
 * LSH attention given the buckets (Kitaev, Kaiser & Levskaya 2020, §2–3; trax
 * `efficient_attention.LSHSelfAttention`, Hugging Face `LSHSelfAttention`): each hash round's
 * tokens are sorted stably by (bucket, position), the rounds are laid end to end, cut into chunks
 * of `chunkLength`, and each chunk attends to itself and `nChunksBefore` / `nChunksAfter`
 * neighbouring chunks (wrapping around, as trax and HF). Rounds are combined by the softmax of
 * their log-sum-exps, which with the duplicate-attention correction (a key seen n times by a
 * query, across rounds and overlapping windows, has log n subtracted from each of its scores)
 * makes the result exactly attention over the union of keys the query saw.
 *
 * Porting note: the sort, its inverse, positions, masks and duplicate counts depend only on the
 * buckets, so they are built once, untaped (`lshPlan`), and the differentiated part only gathers
 * and multiplies. The sort uses `tf.topk` on the unique keys bucket·T + position, which makes it
 * stable by construction; trax counts duplicates within matching rounds only, this counts every
 * (round, round′) pair a window can reach, so cross-round neighbours are counted too.
 * Porting note: trax and HF carry each round's log-sum-exp whole; here the row maximum is held
 * apart (as a constant) and rounds are weighted by (max − max over rounds) + log Σ exp, which keeps
 * the weights exact when a query sees only itself (score −1e5, where float32 resolves ~0.008).
 */
import { tf, type Rng, dropout, ConfigError, ShapeError } from '@lmkit/tensor';
import { boolToFloat, equalF, greaterF, maskScores, scoreMask, unitKeys, type ScoreMask } from './shared-qk.js';
import { untaped } from './tape.js';

/** Chunking of LSH attention. */
export interface LSHChunking {
  readonly chunkLength: number;
  readonly nChunksBefore: number;
  readonly nChunksAfter: number;
  readonly causal: boolean;
}

/** Constants of one LSH attention call, derived from the buckets. BH = B·H, N = R·T, C = N / c, W = c·(before + 1 + after). */
export interface LSHPlan {
  /** (BH·N) int32: the row of qk viewed as [BH·T, d] that fills each sorted slot. */
  readonly sortRows: tf.Tensor;
  /** (BH·N) int32: the sorted slot of each (b, h, round, position), in [B, H, R, T] order. */
  readonly undoSlots: tf.Tensor;
  /** (BH·N) int32: the inverse of `undoSlots`: for each sorted slot, its index in [B, H, R, T] order. */
  readonly sortSlots: tf.Tensor;
  /** (BH, C, c, W): the causal and padding masks and the self mask, applied as scores · keep + fill. */
  readonly mask: ScoreMask;
  /** (BH, C, c, W) float32: log of how often the query sees that key; undefined when never more than once. */
  readonly logCounts: tf.Tensor | undefined;
}

/** Gathers each chunk's neighbours: x [BH, C, c, ...] → [BH, C, c·(before + 1 + after), ...], chunk k holding chunks k − before … k + after (mod C). */
export function lookAdjacent(x: tf.Tensor, before: number, after: number): tf.Tensor {
  return tf.tidy(() => {
    const C = x.shape[1]!;
    const pieces: tf.Tensor[] = [];
    for (let o = -before; o <= after; o++) {
      const s = ((o % C) + C) % C;
      if (s === 0) {
        pieces.push(x);
        continue;
      }
      const begin = x.shape.map(() => 0);
      const head = tf.slice(x, begin.map((b, i) => (i === 1 ? s : b)), x.shape.map((n, i) => (i === 1 ? C - s : n)));
      const tail = tf.slice(x, begin, x.shape.map((n, i) => (i === 1 ? s : n)));
      pieces.push(tf.concat([head, tail], 1)); // chunk k ← chunk k + o
    }
    return pieces.length === 1 ? pieces[0]!.clone() : tf.concat(pieces, 2);
  });
}

/**
 * The untaped constants of one call. buckets: [B, H, R, T] int32 with T a multiple of chunkLength;
 * keyPaddingMask: [B, T] bool or null.
 */
export function lshPlan(buckets: tf.Tensor, keyPaddingMask: tf.Tensor | null, chunking: LSHChunking): LSHPlan {
  const [B, H, R, T] = buckets.shape as [number, number, number, number];
  const { chunkLength: c, nChunksBefore: before, nChunksAfter: after, causal } = chunking;
  const BH = B * H;
  const N = R * T;
  const C = N / c;
  const K = T / c; // chunks per round
  return untaped(() =>
    tf.tidy(() => {
      const pos = tf.range(0, T, 1, 'int32');
      const keys = tf.add(tf.mul(buckets, tf.scalar(T, 'int32')), pos); // (B, H, R, T), unique per round
      const sortPos = tf.topk(tf.neg(keys), T).indices; // (B, H, R, T): positions by (bucket, position)
      const rank = tf.topk(tf.neg(sortPos), T).indices; // (B, H, R, T): rank of each position
      const rowStart = tf.range(0, BH * T, T, 'int32').reshape([B, H, 1, 1]); // first row of each (b, h) in [BH·T]
      const slotStart = tf.range(0, BH * N, N, 'int32').reshape([B, H, 1, 1]); // first slot of each (b, h) in [BH·N]
      const roundStart = tf.range(0, N, T, 'int32').reshape([1, 1, R, 1]);
      const sortRows = tf.add(sortPos, rowStart).reshape([BH * N]);
      const sequenceSlot = tf.add(rank, roundStart); // (B, H, R, T): slot within the (b, h) sequence of N
      const slots = tf.add(sequenceSlot, slotStart);
      const undoSlots = slots.reshape([BH * N]);
      const sortSlots = tf.add(tf.add(sortPos, roundStart), slotStart).reshape([BH * N]);

      // Masks and counts as float 0/1 arithmetic on integer-valued floats (see scoreMask), the
      // floats gathered from float ranges: tfjs 4.22's webgpu int32 → float32 cast only relabels
      // the buffer.
      const sortPosF = tf.gather(tf.range(0, T, 1, 'float32'), sortPos.reshape([-1])).reshape([BH, C, c]);
      const qPos = sortPosF.reshape([BH, C, c, 1]);
      const kPos = lookAdjacent(sortPosF, before, after).reshape([BH, C, 1, -1]); // (BH, C, 1, W)
      const self = equalF(qPos, kPos); // (BH, C, c, W)
      let masked: tf.Tensor | null = causal ? greaterF(kPos, qPos) : null;
      if (keyPaddingMask !== null) {
        const padRows = tf.broadcastTo(boolToFloat(keyPaddingMask).reshape([B, 1, T]), [B, H, T]).reshape([BH * T]);
        const kRows = lookAdjacent(sortRows.reshape([BH, C, c]), before, after).reshape([-1]);
        const kPad = tf.gather(padRows, kRows).reshape([BH, C, 1, -1]);
        masked = masked === null ? kPad : tf.maximum(masked, kPad);
      }

      let logCounts: tf.Tensor | undefined;
      if (R > 1 || C < before + 1 + after) {
        // Integer arithmetic and gathers only: tfjs 4.22's webgpu Transpose shader fails on int32
        // data at rank 4, and its int32 → float32 cast only relabels the buffer.
        const chunkOf = tf.floorDiv(sequenceSlot, tf.scalar(c, 'int32')).reshape([BH * N]); // chunk of (b, h, round, position)
        const locs = tf.gather(tf.range(0, C, 1, 'float32'), chunkOf); // the same, as floats
        const sortedAt = tf.add(sortPos, slotStart).reshape([BH, C, c]); // b·h·N + position, per sorted slot
        const qLocs: tf.Tensor[] = []; // R × (BH, C, c, 1): the query's chunk in each round
        const kLocs: tf.Tensor[] = []; // R × (BH, C, 1, W): the key's chunk in each round
        for (let r = 0; r < R; r++) {
          const loc = tf.gather(locs, tf.add(sortedAt, tf.scalar(r * T, 'int32'))); // (BH, C, c)
          qLocs.push(loc.reshape([BH, C, c, 1]));
          kLocs.push(lookAdjacent(loc, before, after).reshape([BH, C, 1, -1]));
        }
        let counts: tf.Tensor = tf.zeros(self.shape);
        for (let r = 0; r < R; r++) {
          for (let o = -before; o <= after; o++) {
            const windowChunk = tf.mod(tf.add(qLocs[r]!, o + C * (before + 1)), C); // (BH, C, c, 1)
            for (const r2 of reachableRounds(r, o, K, C)) {
              const next = tf.tidy(() => tf.add(counts, equalF(windowChunk, kLocs[r2]!)));
              counts.dispose(); // one score-sized count alive at a time, however many rounds
              counts = next;
            }
          }
        }
        logCounts = tf.log(counts);
      }
      return { sortRows, undoSlots, sortSlots, mask: scoreMask(masked, self), logCounts };
    }),
  );
}

/** Rounds whose chunks the window offset `o` of a query chunk in round `r` can land in. */
function reachableRounds(r: number, o: number, K: number, C: number): number[] {
  const roundOf = (chunk: number) => Math.floor((((chunk % C) + C) % C) / K);
  return [...new Set([roundOf(r * K + o), roundOf(r * K + K - 1 + o)])];
}

/**
 * LSH attention. qk, v: [B, H, T, d] (T a multiple of chunkLength), plan from `lshPlan` →
 * [B, H, T, d]. Dropout (p > 0) on the attention probabilities draws from `rng`.
 */
export function lshAttention(qk: tf.Tensor, v: tf.Tensor, plan: LSHPlan, R: number, chunking: LSHChunking, p = 0, rng?: Rng): tf.Tensor {
  const [B, H, T, d] = qk.shape as [number, number, number, number];
  const c = chunking.chunkLength;
  if (T % c !== 0) throw new ShapeError('lshAttention(qk)', `a length that is a multiple of chunkLength ${c}`, `length ${T}`);
  const BH = B * H;
  const N = R * T;
  const C = N / c;
  return tf.tidy(() => {
    const sqk = gatherRows(qk.reshape([BH * T, d]), plan.sortRows, plan.undoSlots, BH, R).reshape([BH, C, c, d]); // sorted queries
    const sv = gatherRows(v.reshape([BH * T, d]), plan.sortRows, plan.undoSlots, BH, R).reshape([BH, C, c, d]);
    const keys = lookAdjacent(unitKeys(sqk), chunking.nChunksBefore, chunking.nChunksAfter); // (BH, C, W, d)
    const values = lookAdjacent(sv, chunking.nChunksBefore, chunking.nChunksAfter); // (BH, C, W, d)
    let dots = tf.matMul(sqk, keys, false, true); // (BH, C, c, W)
    if (plan.logCounts !== undefined) dots = tf.sub(dots, plan.logCounts);
    dots = maskScores(dots, plan.mask);
    // Softmax about the row maximum, held constant: with −1e5 self scores a log-sum-exp carried
    // whole would keep only float32's ~0.008 resolution at 1e5 and bias the weights.
    const rowMax = untaped(() => tf.max(dots, -1, true)); // (BH, C, c, 1)
    const shifted = tf.sub(dots, rowMax);
    const logSum = tf.log(tf.sum(tf.exp(shifted), -1, true)); // (BH, C, c, 1)
    let probs = tf.exp(tf.sub(shifted, logSum));
    if (p > 0) {
      if (rng === undefined) throw new ConfigError('lshAttention(rng)', 'an Rng when dropout > 0', rng);
      probs = dropout(probs, p, rng);
    }
    const sorted = tf.matMul(probs, values); // (BH, C, c, d)
    const out = gatherRows(sorted.reshape([BH * N, d]), plan.undoSlots, plan.sortSlots, BH, 1).reshape([B, H, R, T, d]);
    if (R === 1) return out.reshape([B, H, T, d]);
    // Round r's log-sum-exp is rowMax_r + logSum_r; its weight is their softmax over rounds.
    const maxes = untaped(() => tf.gather(rowMax.reshape([BH * N]), plan.undoSlots).reshape([B, H, R, T, 1]));
    const sums = gatherRows(logSum.reshape([BH * N, 1]), plan.undoSlots, plan.sortSlots, BH, 1).reshape([B, H, R, T, 1]);
    const logits = tf.add(untaped(() => tf.sub(maxes, tf.max(maxes, 2, true))), sums); // (B, H, R, T, 1)
    const weights = tf.exp(tf.sub(logits, tf.logSumExp(logits, 2, true))); // (B, H, R, T, 1)
    return tf.sum(tf.mul(out, weights), 2); // (B, H, T, d)
  });
}

/**
 * x [M, k] → x[index] [K, k], with `inverse` the inverse permutation (K = rounds·M rows laid out
 * as [groups, rounds, M / groups]), so the gradient is a gather too: dx = Σ_rounds dy[inverse].
 * tf.gather's own gradient is a segment sum, which tfjs's cpu backend runs once per segment.
 */
function gatherRows(x: tf.Tensor, index: tf.Tensor, inverse: tf.Tensor, groups: number, rounds: number): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [source, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([inverse]);
    return {
      value: tf.gather(source, index),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const back = tf.gather(dy, saved[0]!); // rows in (group, round, row) order
          if (rounds === 1) return back;
          const [M, k] = source.shape as [number, number];
          return tf.sum(back.reshape([groups, rounds, M / groups, k]), 1).reshape([M, k]);
        }),
    };
  });
  return op(x);
}

/** Frees a plan's tensors. */
export function disposePlan(plan: LSHPlan): void {
  tf.dispose([plan.sortRows, plan.undoSlots, plan.sortSlots, plan.mask.keep, plan.mask.fill, plan.logCounts].filter((t): t is tf.Tensor => t !== undefined));
}
