/**
 * RobertaProcessing: `<s> A </s>` and `<s> A </s> </s> B </s>`, every type id 0, with optional
 * byte-level offset trimming.
 *
 * Reference: HF `processors/roberta.rs`; Liu et al. 2019 (RoBERTa).
 */
import type { Encoding } from '../encoding.js';
import type { SpecialTokenPair } from './bert-processing.js';
import { specialEncoding, wrap, type PostProcessorStage } from './post-processor.js';
import { trimOffsets } from './trim-offsets.js';

export interface RobertaProcessingConfig {
  readonly sep?: SpecialTokenPair;
  readonly cls?: SpecialTokenPair;
  /** Trim spaces off token offsets (default true). */
  readonly trimOffsets?: boolean;
  /** Whether the pre-tokenizer added a prefix space (default true). */
  readonly addPrefixSpace?: boolean;
}

export class RobertaProcessing implements PostProcessorStage {
  readonly sep: SpecialTokenPair;
  readonly cls: SpecialTokenPair;
  readonly trimOffsets: boolean;
  readonly addPrefixSpace: boolean;

  constructor(config: RobertaProcessingConfig = {}) {
    this.sep = config.sep ?? ['</s>', 2];
    this.cls = config.cls ?? ['<s>', 0];
    this.trimOffsets = config.trimOffsets ?? true;
    this.addPrefixSpace = config.addPrefixSpace ?? true;
  }

  addedTokens(isPair: boolean): number {
    return isPair ? 4 : 2;
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    if (this.trimOffsets) for (const e of encodings) trimOffsets(e, this.addPrefixSpace);
    for (const e of encodings) setTypeIds(e, 0);
    if (!addSpecialTokens) return encodings;
    const sep = (): Encoding => specialEncoding([this.sep[1]], [this.sep[0]], 0);
    return encodings.map((e, i) => (i === 0 ? wrap(e, specialEncoding([this.cls[1]], [this.cls[0]], 0), sep(), 0) : wrap(e, sep(), sep(), 1)));
  }

  toJSON(): { type: 'RobertaProcessing'; sep: [string, number]; cls: [string, number]; trim_offsets: boolean; add_prefix_space: boolean } {
    return { type: 'RobertaProcessing', sep: [...this.sep], cls: [...this.cls], trim_offsets: this.trimOffsets, add_prefix_space: this.addPrefixSpace };
  }
}

function setTypeIds(e: Encoding, typeId: number): void {
  e.typeIds = new Array<number>(e.length).fill(typeId);
  for (const o of e.overflowing) setTypeIds(o, typeId);
}
