/**
 * A Sequence of normalizers, applied in order.
 *
 * Reference: HF `normalizers/utils.rs` `Sequence`.
 */
import type { NormalizedString } from '../normalized-string.js';
import type { NormalizerStage } from './normalizer.js';

export class NormalizerSequence implements NormalizerStage {
  constructor(readonly normalizers: readonly NormalizerStage[]) {}

  normalize(input: NormalizedString): NormalizedString {
    let s = input;
    for (const n of this.normalizers) s = n.normalize(s);
    return s;
  }

  toJSON(): { type: 'Sequence'; normalizers: Array<{ type: string }> } {
    return { type: 'Sequence', normalizers: this.normalizers.map((n) => n.toJSON()) };
  }
}
