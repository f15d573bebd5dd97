/**
 * Split pre-tokenizer: splits on a literal or an (Oniguruma) regex with any delimiter
 * behaviour, optionally inverted (the pattern then describes what to keep).
 *
 * Reference: HF `pre_tokenizers/split.rs`.
 */
import type { PatternJson } from '../json.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized, type SplitDelimiterBehavior } from '../split-behavior.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

export class Split implements PreTokenizerStage {
  /** @param regex the compiled `pattern` (global RegExp, or the literal string). */
  constructor(
    readonly pattern: PatternJson,
    readonly behavior: SplitDelimiterBehavior,
    readonly invert: boolean,
    private readonly regex: RegExp | string,
  ) {}

  preTokenize(pretokenized: PreTokenizedString): void {
    pretokenized.split((_, normalized) => splitNormalized(normalized, this.regex, this.behavior, this.invert));
  }

  toJSON(): { type: 'Split'; pattern: PatternJson; behavior: SplitDelimiterBehavior; invert: boolean } {
    return { type: 'Split', pattern: this.pattern, behavior: this.behavior, invert: this.invert };
  }
}
