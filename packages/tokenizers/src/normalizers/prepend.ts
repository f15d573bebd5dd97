/**
 * Prepend normalizer: puts a string in front of any non-empty text (e.g. `▁` for SentencePiece).
 *
 * Reference: HF `normalizers/prepend.rs`.
 */
import type { NormalizedString } from '../normalized-string.js';
import type { NormalizerStage } from './normalizer.js';

export class Prepend implements NormalizerStage {
  constructor(readonly prepend: string) {}

  normalize(input: NormalizedString): NormalizedString {
    return input.prepend(this.prepend);
  }

  toJSON(): { type: 'Prepend'; prepend: string } {
    return { type: 'Prepend', prepend: this.prepend };
  }
}
