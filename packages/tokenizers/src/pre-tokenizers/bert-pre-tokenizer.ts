/**
 * BertPreTokenizer: splits on whitespace (dropped), then isolates every punctuation character.
 *
 * Reference: HF `pre_tokenizers/bert.rs`; BERT `BasicTokenizer._run_split_on_punc`.
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized } from '../split-behavior.js';
import { BERT_PUNCTUATION, isWhitespace } from '../unicode.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

const isPunctuation = (ch: string): boolean => BERT_PUNCTUATION.test(ch);

export class BertPreTokenizer implements PreTokenizerStage {
  preTokenize(pretokenized: PreTokenizedString): void {
    pretokenized.split((_, normalized) => splitNormalized(normalized, isWhitespace, 'Removed'));
    pretokenized.split((_, normalized) => splitNormalized(normalized, isPunctuation, 'Isolated'));
  }

  toJSON(): { type: 'BertPreTokenizer' } {
    return { type: 'BertPreTokenizer' };
  }
}
