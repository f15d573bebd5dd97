/**
 * Replace normalizer: every match of a literal or a regex becomes `content`.
 *
 * Reference: HF `normalizers/replace.rs` (`pattern` is `{ String }` or `{ Regex }`, Oniguruma).
 */
import type { NormalizedString } from '../normalized-string.js';
import type { PatternJson } from '../json.js';
import type { NormalizerStage } from './normalizer.js';

export class Replace implements NormalizerStage {
  /** @param regex the compiled form of `pattern` (global); a literal uses the string itself. */
  constructor(
    readonly pattern: PatternJson,
    readonly content: string,
    private readonly regex: RegExp | string,
  ) {}

  normalize(input: NormalizedString): NormalizedString {
    return input.replace(this.regex, this.content);
  }

  toJSON(): { type: 'Replace'; pattern: PatternJson; content: string } {
    return { type: 'Replace', pattern: this.pattern, content: this.content };
  }
}
