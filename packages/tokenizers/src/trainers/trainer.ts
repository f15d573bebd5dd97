/**
 * The trainer interface: count the words the pipeline produces from a corpus, then build a model.
 *
 * Reference: the `Trainer` trait of Hugging Face `tokenizers` (`feed`, `train`, special tokens
 * returned to be added to the tokenizer).
 */
import type { AddedToken } from '../added-vocabulary.js';
import { TokenizerConfigError } from '../errors.js';
import type { ModelStage } from '../models/model.js';

/** Progress of a training run: `current` of `total` steps of `stage`. */
export interface TrainingProgress {
  readonly stage: string;
  readonly current: number;
  readonly total: number;
}

export type ProgressCallback = (progress: TrainingProgress) => void;

export interface Trainer {
  /** Count the words of one pre-tokenized text. */
  feed(words: Iterable<string>): void;
  /**
   * Build the model from the counted words.
   * @param current the tokenizer's model (trainers keep settings such as its `unk_token`).
   */
  train(current: ModelStage): { model: ModelStage; specialTokens: AddedToken[] };
}

/** Options every trainer takes. */
export interface CommonTrainerOptions {
  /** Size of the final vocabulary, special tokens included (default 30,000). */
  readonly vocabSize?: number;
  /** Words or pairs seen fewer times are not learnt (default 0). */
  readonly minFrequency?: number;
  /** Tokens put first in the vocabulary and added to the tokenizer as special (default none). */
  readonly specialTokens?: ReadonlyArray<string | AddedToken>;
  /** Called as training advances. */
  readonly onProgress?: ProgressCallback;
}

export function checkCount(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new TokenizerConfigError(field, `an integer >= ${min}`, value);
  return value;
}

/** Special tokens as added tokens (special, not normalized). */
export function specialAddedTokens(tokens: ReadonlyArray<string | AddedToken>): AddedToken[] {
  return tokens.map((t) => (typeof t === 'string' ? { content: t, special: true } : { special: true, ...t }));
}

/** Word → count, shared by the trainers' `feed`. */
export class WordCounts {
  readonly counts = new Map<string, number>();

  add(words: Iterable<string>): void {
    for (const w of words) this.counts.set(w, (this.counts.get(w) ?? 0) + 1);
  }
}
