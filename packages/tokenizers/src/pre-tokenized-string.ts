/**
 * `PreTokenizedString`: the input cut into splits (future words), each a `NormalizedString`
 * that may already carry its tokens (an added token, or after the model ran).
 *
 * Reference: `tokenizers/src/tokenizer/pre_tokenizer.rs` (Hugging Face): `split` only touches
 * splits without tokens and drops empty pieces; a split's index becomes the word id.
 */
import type { NormalizedString } from './normalized-string.js';

/** A token produced by a model; `start`/`end` are UTF-16 offsets into the word it came from. */
export interface Token {
  readonly id: number;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface Split {
  readonly normalized: NormalizedString;
  readonly tokens: readonly Token[] | null;
}

export class PreTokenizedString {
  splits: Split[];

  constructor(normalized: NormalizedString) {
    this.splits = [{ normalized, tokens: null }];
  }

  /** Replace each untokenized split by the non-empty pieces `fn` returns. */
  split(fn: (index: number, normalized: NormalizedString) => readonly NormalizedString[]): void {
    const next: Split[] = [];
    for (let i = 0; i < this.splits.length; i++) {
      const split = this.splits[i] as Split;
      if (split.tokens !== null) {
        next.push(split);
        continue;
      }
      for (const normalized of fn(i, split.normalized)) if (normalized.length > 0) next.push({ normalized, tokens: null });
    }
    this.splits = next;
  }

  /** Like `split`, but `fn` may attach tokens to pieces (used for added tokens). */
  splitWithTokens(fn: (normalized: NormalizedString) => readonly Split[]): void {
    const next: Split[] = [];
    for (const split of this.splits) {
      if (split.tokens !== null) next.push(split);
      else for (const piece of fn(split.normalized)) if (piece.normalized.length > 0) next.push(piece);
    }
    this.splits = next;
  }

  /** Rewrite every untokenized split in place. */
  normalize(fn: (normalized: NormalizedString) => NormalizedString): void {
    this.splits = this.splits.map((s) => (s.tokens === null ? { normalized: fn(s.normalized), tokens: null } : s));
  }
}
