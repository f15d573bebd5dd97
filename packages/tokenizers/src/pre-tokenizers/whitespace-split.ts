/**
 * WhitespaceSplit pre-tokenizer: splits on whitespace, which is dropped.
 *
 * Reference: HF `pre_tokenizers/whitespace.rs` `WhitespaceSplit` (Rust `char::is_whitespace`).
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized } from '../split-behavior.js';
import { isWhitespace } from '../unicode.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

export class WhitespaceSplit implements PreTokenizerStage {
  preTokenize(pretokenized: PreTokenizedString): void {
    pretokenized.split((_, normalized) => splitNormalized(normalized, isWhitespace, 'Removed'));
  }

  toJSON(): { type: 'WhitespaceSplit' } {
    return { type: 'WhitespaceSplit' };
  }
}
