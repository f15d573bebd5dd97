/**
 * Strip normalizer: removes leading and/or trailing whitespace.
 *
 * Reference: HF `normalizers/strip.rs` `Strip { strip_left, strip_right }`.
 */
import type { NormalizedString } from '../normalized-string.js';
import { isWhitespace } from '../unicode.js';
import type { NormalizerStage } from './normalizer.js';

export class Strip implements NormalizerStage {
  constructor(
    readonly stripLeft = true,
    readonly stripRight = true,
  ) {}

  normalize(input: NormalizedString): NormalizedString {
    const { text } = input;
    let start = 0;
    let end = text.length;
    if (this.stripLeft) while (start < end && isWhitespace(text[start] as string)) start++;
    if (this.stripRight) while (end > start && isWhitespace(text[end - 1] as string)) end--;
    return input.slice(start, end);
  }

  toJSON(): { type: 'Strip'; strip_left: boolean; strip_right: boolean } {
    return { type: 'Strip', strip_left: this.stripLeft, strip_right: this.stripRight };
  }
}
