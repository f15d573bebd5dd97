/**
 * Lowercase normalizer: each character to its lowercase mapping (which may be longer).
 *
 * Reference: HF `normalizers/utils.rs` `Lowercase` (Rust `char::to_lowercase`, per character,
 * so a final sigma stays `σ`).
 */
import type { NormalizedString } from '../normalized-string.js';
import type { NormalizerStage } from './normalizer.js';

const ASCII = /^[\x00-\x7f]*$/;

export class Lowercase implements NormalizerStage {
  normalize(input: NormalizedString): NormalizedString {
    return lowercase(input);
  }

  toJSON(): { type: 'Lowercase' } {
    return { type: 'Lowercase' };
  }
}

export function lowercase(input: NormalizedString): NormalizedString {
  if (ASCII.test(input.text)) return input.withSameAlignment(input.text.toLowerCase());
  return input.mapCodePoints((ch) => ch.toLowerCase());
}
