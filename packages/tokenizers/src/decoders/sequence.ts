/**
 * A Sequence of decoders, each fed the previous one's output.
 *
 * Reference: HF `decoders/sequence.rs`.
 */
import type { DecoderStage } from './decoder.js';

export class DecoderSequence implements DecoderStage {
  constructor(readonly decoders: readonly DecoderStage[]) {}

  decodeChain(tokens: string[]): string[] {
    let out = tokens;
    for (const d of this.decoders) out = d.decodeChain(out);
    return out;
  }

  toJSON(): { type: 'Sequence'; decoders: Array<{ type: string }> } {
    return { type: 'Sequence', decoders: this.decoders.map((d) => d.toJSON()) };
  }
}
