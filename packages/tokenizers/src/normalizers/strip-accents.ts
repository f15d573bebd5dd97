/**
 * StripAccents normalizer: drops combining marks (meant to follow NFD/NFKD).
 *
 * Reference: HF `normalizers/strip.rs` `StripAccents` (`is_combining_mark`, General_Category M).
 */
import type { NormalizedString } from '../normalized-string.js';
import type { NormalizerStage } from './normalizer.js';

const MARK = /\p{M}/u;

export class StripAccents implements NormalizerStage {
  normalize(input: NormalizedString): NormalizedString {
    return stripAccents(input);
  }

  toJSON(): { type: 'StripAccents' } {
    return { type: 'StripAccents' };
  }
}

export function stripAccents(input: NormalizedString): NormalizedString {
  return /\p{M}/u.test(input.text) ? input.filter((ch) => !MARK.test(ch)) : input;
}
