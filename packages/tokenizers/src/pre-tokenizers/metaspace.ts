/**
 * Metaspace pre-tokenizer: spaces become `▁` (U+2581), a `▁` may be prepended, and words are
 * split so each starts with its `▁` (SentencePiece style).
 *
 * Reference: HF `pre_tokenizers/metaspace.rs` (`prepend_scheme` always / first / never; the
 * legacy `add_prefix_space` flag reads as always / never).
 */
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized } from '../split-behavior.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

export type PrependScheme = 'always' | 'first' | 'never';
export const PREPEND_SCHEMES: readonly PrependScheme[] = ['always', 'first', 'never'];

export interface MetaspaceConfig {
  /** The character standing for a space (default `▁`). */
  readonly replacement?: string;
  /** When to prepend the replacement (default 'always'). */
  readonly prependScheme?: PrependScheme;
  /** Split so each word starts with the replacement (default true). */
  readonly split?: boolean;
}

export class Metaspace implements PreTokenizerStage {
  readonly replacement: string;
  readonly prependScheme: PrependScheme;
  readonly split: boolean;

  constructor(config: MetaspaceConfig = {}) {
    this.replacement = config.replacement ?? '\u2581';
    this.prependScheme = config.prependScheme ?? 'always';
    this.split = config.split ?? true;
  }

  preTokenize(pretokenized: PreTokenizedString): void {
    const rep = this.replacement;
    pretokenized.split((_, normalized) => {
      let s = normalized.replace(' ', rep);
      const prepend =
        this.prependScheme === 'always' || (this.prependScheme === 'first' && normalized.originalRange(0, 0)[0] === 0);
      if (prepend && !s.text.startsWith(rep)) s = s.prepend(rep);
      return this.split ? splitNormalized(s, rep, 'MergedWithNext') : [s];
    });
  }

  toJSON(): { type: 'Metaspace'; replacement: string; prepend_scheme: PrependScheme; split: boolean } {
    return { type: 'Metaspace', replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}
