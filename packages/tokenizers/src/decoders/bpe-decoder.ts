/**
 * BPE decoder: the end-of-word suffix (`</w>`) becomes a space (nothing after the last token).
 *
 * Reference: HF `decoders/bpe.rs`.
 */
import type { DecoderStage } from './decoder.js';

export class BpeDecoder implements DecoderStage {
  constructor(readonly suffix = '</w>') {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => token.replaceAll(this.suffix, i === tokens.length - 1 ? '' : ' '));
  }

  toJSON(): { type: 'BPEDecoder'; suffix: string } {
    return { type: 'BPEDecoder', suffix: this.suffix };
  }
}
