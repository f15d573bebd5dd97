/**
 * BertProcessing: `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`.
 *
 * Reference: HF `processors/bert.rs`; Devlin et al. 2018.
 */
import type { Encoding } from '../encoding.js';
import { specialEncoding, wrap, type PostProcessorStage } from './post-processor.js';

export type SpecialTokenPair = readonly [token: string, id: number];

export class BertProcessing implements PostProcessorStage {
  constructor(
    readonly sep: SpecialTokenPair = ['[SEP]', 102],
    readonly cls: SpecialTokenPair = ['[CLS]', 101],
  ) {}

  addedTokens(isPair: boolean): number {
    return isPair ? 3 : 2;
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    if (!addSpecialTokens) return encodings;
    return encodings.map((e, i) =>
      i === 0
        ? wrap(e, specialEncoding([this.cls[1]], [this.cls[0]], 0), specialEncoding([this.sep[1]], [this.sep[0]], 0), 0)
        : wrap(e, null, specialEncoding([this.sep[1]], [this.sep[0]], 1), 1),
    );
  }

  toJSON(): { type: 'BertProcessing'; sep: [string, number]; cls: [string, number] } {
    return { type: 'BertProcessing', sep: [...this.sep], cls: [...this.cls] };
  }
}
