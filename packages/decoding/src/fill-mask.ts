/**
 * `fillMask`: the most likely tokens at each mask position of a sequence, for masked language
 * models (BERT-style), with their softmax probabilities.
 *
 * Reference: Hugging Face `FillMaskPipeline` (softmax over the vocabulary at each mask, top-k).
 * Porting note: with several masks HF returns one list per mask too; here every list is
 * returned even for a single mask, and each prediction carries the filled-in sequence.
 */
import { ConfigError, ShapeError, tf } from '@lmkit/tensor';
import { LogitsError } from './errors.js';
import type { MaskedLanguageModel } from './model.js';
import { kthLargest } from './processors/select.js';

/** One candidate for one mask. */
export interface FillMaskPrediction {
  /** Index of the mask in `ids`. */
  readonly position: number;
  readonly token: number;
  /** Softmax probability of `token` at `position`. */
  readonly score: number;
  /** `ids` with this mask replaced by `token` (other masks left as they are). */
  readonly ids: number[];
}

/**
 * For each occurrence of `maskId` in `ids` (`[T]`), the `topk` most likely tokens, best first
 * (ties: lower id first).
 *
 * @example
 * const [[best]] = await fillMask(bert, [101, 1996, 103, 2003, 102], 103); // best.token, best.score
 */
export async function fillMask(model: MaskedLanguageModel, ids: readonly number[], maskId: number, topk = 5): Promise<FillMaskPrediction[][]> {
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((t) => Number.isInteger(t) && t >= 0)) {
    throw new ConfigError('ids', 'a non-empty array of token ids (integers ≥ 0)', ids);
  }
  if (!Number.isInteger(maskId) || maskId < 0) throw new ConfigError('maskId', 'a token id (integer ≥ 0)', maskId);
  if (!Number.isInteger(topk) || topk < 1) throw new ConfigError('topk', 'an integer ≥ 1', topk);
  const positions = ids.flatMap((t, i) => (t === maskId ? [i] : []));
  if (positions.length === 0) throw new ConfigError('ids', `at least one mask token (${maskId})`, ids);

  const T = ids.length;
  const logits = await model.logits([[...ids]]);
  let rows: Float32Array;
  let V: number;
  try {
    const [B, T1, V1] = logits.shape;
    if (logits.rank !== 3 || B !== 1 || T1 !== T || V1 === undefined || V1 < 1) {
      throw new ShapeError('model.logits', `shape [1, ${T}, V]`, `shape [${logits.shape.join(', ')}]`);
    }
    V = V1;
    if (topk > V) throw new ConfigError('topk', `an integer in [1, ${V}] (the vocabulary size)`, topk);
    // Read only the mask rows: [M, V].
    const picked = tf.tidy(() => tf.gather(logits.reshape([T, V]), positions));
    try {
      rows = (await picked.data()) as Float32Array;
    } finally {
      picked.dispose();
    }
  } finally {
    logits.dispose();
  }

  return positions.map((position, m) => {
    const row = rows.subarray(m * V, (m + 1) * V); // [V]
    let max = -Infinity;
    for (let t = 0; t < V; t++) {
      const x = row[t]!;
      if (x !== x || x === Infinity) throw new LogitsError(`position ${position}`, `${x} at token ${t}`);
      if (x > max) max = x;
    }
    if (max === -Infinity) throw new LogitsError(`position ${position}`, 'every token is masked');
    let sum = 0;
    for (let t = 0; t < V; t++) sum += Math.exp(row[t]! - max);
    const threshold = kthLargest(row, V, topk);
    const best: number[] = [];
    for (let t = 0; t < V; t++) if (row[t]! >= threshold) best.push(t);
    best.sort((a, b) => row[b]! - row[a]! || a - b);
    return best.slice(0, topk).map((token) => {
      const filled = [...ids];
      filled[position] = token;
      return { position, token, score: Math.exp(row[token]! - max) / sum, ids: filled };
    });
  });
}
