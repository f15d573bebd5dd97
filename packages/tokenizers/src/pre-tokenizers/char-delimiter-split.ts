/**
 * CharDelimiterSplit pre-tokenizer: splits on one character, which is dropped.
 *
 * Reference: HF `pre_tokenizers/delimiter.rs`.
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized } from '../split-behavior.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

export class CharDelimiterSplit implements PreTokenizerStage {
  constructor(readonly delimiter: string) {}

  preTokenize(pretokenized: PreTokenizedString): void {
    pretokenized.split((_, normalized) => splitNormalized(normalized, this.delimiter, 'Removed'));
  }

  toJSON(): { type: 'CharDelimiterSplit'; delimiter: string } {
    return { type: 'CharDelimiterSplit', delimiter: this.delimiter };
  }
}
