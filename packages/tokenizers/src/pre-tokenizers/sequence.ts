/**
 * A Sequence of pre-tokenizers, applied in order.
 *
 * Reference: HF `pre_tokenizers/sequence.rs`.
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

export class PreTokenizerSequence implements PreTokenizerStage {
  constructor(readonly pretokenizers: readonly PreTokenizerStage[]) {}

  preTokenize(pretokenized: PreTokenizedString): void {
    for (const p of this.pretokenizers) p.preTokenize(pretokenized);
  }

  toJSON(): { type: 'Sequence'; pretokenizers: Array<{ type: string }> } {
    return { type: 'Sequence', pretokenizers: this.pretokenizers.map((p) => p.toJSON()) };
  }
}
