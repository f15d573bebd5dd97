/**
 * Punctuation pre-tokenizer: splits on each punctuation character with a chosen behaviour.
 *
 * Reference: HF `pre_tokenizers/punctuation.rs` (default behaviour Isolated).
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized, type SplitDelimiterBehavior } from '../split-behavior.js';
import { BERT_PUNCTUATION } from '../unicode.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

const isPunctuation = (ch: string): boolean => BERT_PUNCTUATION.test(ch);

export class Punctuation implements PreTokenizerStage {
  constructor(readonly behavior: SplitDelimiterBehavior = 'Isolated') {}

  preTokenize(pretokenized: PreTokenizedString): void {
    pretokenized.split((_, normalized) => splitNormalized(normalized, isPunctuation, this.behavior));
  }

  toJSON(): { type: 'Punctuation'; behavior: SplitDelimiterBehavior } {
    return { type: 'Punctuation', behavior: this.behavior };
  }
}
