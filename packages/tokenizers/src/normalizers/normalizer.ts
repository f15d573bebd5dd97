/**
 * The normalizer stage: text in, cleaned text out, alignments kept.
 *
 * Reference: the `Normalizer` trait of Hugging Face `tokenizers`.
 * Porting note: HF mutates a `NormalizedString`; here a normalizer returns a new one.
 */
import type { NormalizedString } from '../normalized-string.js';

export interface Normalizer {
  /** The normalized form of `input`, each unit still aligned to the original text. */
  normalize(input: NormalizedString): NormalizedString;
}

/** A normalizer that can write itself back as `tokenizer.json`'s `normalizer` field. */
export interface NormalizerStage extends Normalizer {
  toJSON(): { type: string };
}
