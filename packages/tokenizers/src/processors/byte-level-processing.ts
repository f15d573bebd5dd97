/**
 * ByteLevel post-processor: trims the spaces of byte-level tokens off their offsets; adds no
 * token.
 *
 * Reference: HF `pre_tokenizers/byte_level.rs` (`PostProcessor for ByteLevel`).
 */
import type { Encoding } from '../encoding.js';
import type { PostProcessorStage } from './post-processor.js';
import { trimOffsets } from './trim-offsets.js';

export interface ByteLevelProcessingConfig {
  /** Trim spaces off token offsets (default true). */
  readonly trimOffsets?: boolean;
  /** Whether the pre-tokenizer added a prefix space (default true). */
  readonly addPrefixSpace?: boolean;
  /** Kept for the JSON (default true). */
  readonly useRegex?: boolean;
}

export class ByteLevelProcessing implements PostProcessorStage {
  readonly trimOffsets: boolean;
  readonly addPrefixSpace: boolean;
  readonly useRegex: boolean;

  constructor(config: ByteLevelProcessingConfig = {}) {
    this.trimOffsets = config.trimOffsets ?? true;
    this.addPrefixSpace = config.addPrefixSpace ?? true;
    this.useRegex = config.useRegex ?? true;
  }

  addedTokens(): number {
    return 0;
  }

  processEncodings(encodings: Encoding[]): Encoding[] {
    if (this.trimOffsets) for (const e of encodings) trimOffsets(e, this.addPrefixSpace);
    return encodings;
  }

  toJSON(): { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean } {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
