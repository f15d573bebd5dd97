/**
 * Whitespace pre-tokenizer: words are runs of word characters or runs of other non-space
 * characters (`\w+|[^\w\s]+`); whitespace is dropped.
 *
 * Reference: HF `pre_tokenizers/whitespace.rs` `Whitespace` (Rust `regex` Unicode `\w`).
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized } from '../split-behavior.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

const W = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const S = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WORDS = new RegExp(`[${W}]+|[^${W}${S}]+`, 'gu');

export class Whitespace implements PreTokenizerStage {
  preTokenize(pretokenized: PreTokenizedString): void {
    pretokenized.split((_, normalized) => splitNormalized(normalized, WORDS, 'Removed', true));
  }

  toJSON(): { type: 'Whitespace' } {
    return { type: 'Whitespace' };
  }
}
