/**
 * The pre-tokenizer stage: cuts normalized text into words (splits) and may rewrite them.
 *
 * Reference: the `PreTokenizer` trait of Hugging Face `tokenizers`.
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';

export interface PreTokenizer {
  /** Split (and possibly rewrite) the untokenized splits of `pretokenized` in place. */
  preTokenize(pretokenized: PreTokenizedString): void;
}

/** A pre-tokenizer that can write itself back as `tokenizer.json`'s `pre_tokenizer` field. */
export interface PreTokenizerStage extends PreTokenizer {
  toJSON(): { type: string };
}
