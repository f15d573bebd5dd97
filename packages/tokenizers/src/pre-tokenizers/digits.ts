/**
 * Digits pre-tokenizer: isolates numbers, as runs or one digit each.
 *
 * Reference: HF `pre_tokenizers/digits.rs` (Rust `char::is_numeric`).
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized } from '../split-behavior.js';
import { NUMERIC } from '../unicode.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

const isNumeric = (ch: string): boolean => NUMERIC.test(ch);

export class Digits implements PreTokenizerStage {
  /** @param individualDigits one split per digit instead of per run (default false). */
  constructor(readonly individualDigits = false) {}

  preTokenize(pretokenized: PreTokenizedString): void {
    const behavior = this.individualDigits ? 'Isolated' : 'Contiguous';
    pretokenized.split((_, normalized) => splitNormalized(normalized, isNumeric, behavior));
  }

  toJSON(): { type: 'Digits'; individual_digits: boolean } {
    return { type: 'Digits', individual_digits: this.individualDigits };
  }
}
