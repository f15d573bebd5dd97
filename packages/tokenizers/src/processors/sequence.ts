/**
 * A Sequence of post-processors, applied in order.
 *
 * Reference: HF `processors/sequence.rs`.
 */
import type { Encoding } from '../encoding.js';
import type { PostProcessorStage } from './post-processor.js';

export class PostProcessorSequence implements PostProcessorStage {
  constructor(readonly processors: readonly PostProcessorStage[]) {}

  addedTokens(isPair: boolean): number {
    return this.processors.reduce((n, p) => n + p.addedTokens(isPair), 0);
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    let out = encodings;
    for (const p of this.processors) out = p.processEncodings(out, addSpecialTokens);
    return out;
  }

  toJSON(): { type: 'Sequence'; processors: Array<{ type: string }> } {
    return { type: 'Sequence', processors: this.processors.map((p) => p.toJSON()) };
  }
}
