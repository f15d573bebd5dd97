/**
 * Fuse decoder: joins all tokens into one string.
 *
 * Reference: HF `decoders/fuse.rs`.
 */
import type { DecoderStage } from './decoder.js';

export class Fuse implements DecoderStage {
  decodeChain(tokens: string[]): string[] {
    return [tokens.join('')];
  }

  toJSON(): { type: 'Fuse' } {
    return { type: 'Fuse' };
  }
}
