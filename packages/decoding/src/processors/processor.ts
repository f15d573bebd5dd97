/**
 * The logits-processor contract and the row helpers processors share. A processor edits one row
 * of next-token scores — raw logits when greedy or sampling, log-probabilities in beam search —
 * given the tokens of that row so far, as Hugging Face's `LogitsProcessor` does for a batch.
 *
 * Porting note: Hugging Face processors take `(input_ids [B, T], scores [B, V])` tensors; here a
 * processor takes one row as a `Float32Array`, because the loop reads logits once per step and
 * runs everything after that in plain JavaScript. Masked tokens are `-Infinity`, as in HF.
 */
import { ConfigError, ShapeError } from '@lmkit/tensor';

/**
 * `(ids, logits) → logits` for one row: `ids` are the row's tokens so far (prompt first),
 * `logits` its `[V]` scores, and `promptLength` (default 0) how many of `ids` are the prompt, for
 * the processors that count only generated tokens. A processor may edit `logits` in place and
 * returns the processed row. Rows whose every token is masked come back unchanged.
 */
export type LogitsProcessor = (ids: readonly number[], logits: Float32Array, promptLength?: number) => Float32Array;

/** The largest value of a row (`-Infinity` when every token is masked). */
export function rowMax(logits: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  return max;
}

/** `log Σ exp(logits)` (`-Infinity` when every token is masked). */
export function logSumExp(logits: Float32Array): number {
  const max = rowMax(logits);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    if (x !== -Infinity) sum += Math.exp(x - max);
  }
  return max + Math.log(sum);
}

/**
 * The unmasked tokens of a row with their values and softmax probabilities, in buffers reused
 * from call to call: `index[0..n)`, `value[0..n)`, `prob[0..n)` in token order; `n` is 0 when
 * every token is masked.
 */
export class Candidates {
  index = new Int32Array(0);
  value = new Float64Array(0);
  prob = new Float64Array(0);
  n = 0;
  /** log Σ exp(value): log p = value − logZ. */
  logZ = -Infinity;

  /** Collects the unmasked tokens of `logits` with their values and probabilities. */
  collect(logits: Float32Array): this {
    if (this.index.length < logits.length) {
      this.index = new Int32Array(logits.length);
      this.value = new Float64Array(logits.length);
      this.prob = new Float64Array(logits.length);
    }
    let n = 0;
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) {
      const x = logits[i]!;
      if (x === -Infinity) continue;
      this.index[n] = i;
      this.value[n++] = x;
      if (x > max) max = x;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += this.prob[j] = Math.exp(this.value[j]! - max);
    for (let j = 0; j < n; j++) this.prob[j]! /= sum;
    this.n = n;
    this.logZ = max + Math.log(sum);
    return this;
  }
}

/** Sets every token whose `value` is below `threshold` to `-Infinity`. */
export function maskBelow(logits: Float32Array, threshold: number): Float32Array {
  if (threshold === -Infinity) return logits;
  for (let i = 0; i < logits.length; i++) if (logits[i]! < threshold) logits[i] = -Infinity;
  return logits;
}

/** Checks a token id against the vocabulary size of the row it is used on. */
export function checkTokenId(field: string, id: number, vocabSize: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
    throw new ConfigError(field, `token ids in [0, ${vocabSize - 1}] (the vocabulary size is ${vocabSize})`, id);
  }
}

/** Validates `minTokensToKeep`, shared by the warpers. */
export function checkMinTokensToKeep(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError('minTokensToKeep', 'an integer ≥ 1', value);
  return value;
}

/** Runs `chain` on one row, checking each processor returns a row of the same length. */
export function applyProcessors(
  chain: readonly LogitsProcessor[],
  ids: readonly number[],
  logits: Float32Array,
  promptLength: number,
): Float32Array {
  let row = logits;
  for (const process of chain) {
    const out = process(ids, row, promptLength);
    if (!(out instanceof Float32Array) || out.length !== logits.length) {
      throw new ShapeError('a logits processor', `to return a Float32Array of length ${logits.length}`, String(out));
    }
    row = out;
  }
  return row;
}
