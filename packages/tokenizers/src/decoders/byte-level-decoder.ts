/**
 * ByteLevel decoder: byte-level characters back to bytes, then UTF-8 (invalid sequences become
 * U+FFFD). A token holding a character outside the byte alphabet (an added token) is taken as
 * its own UTF-8.
 *
 * Reference: HF `pre_tokenizers/byte_level.rs` (`Decoder for ByteLevel`).
 */
import { CHAR_TO_BYTE } from '../byte-level-alphabet.js';
import { utf8 } from '../unicode.js';
import type { DecoderStage } from './decoder.js';

const decoder = new TextDecoder('utf-8');

export class ByteLevelDecoder implements DecoderStage {
  /** The pre-tokenizer options HF writes alongside (unused when decoding). */
  constructor(
    readonly addPrefixSpace = true,
    readonly trimOffsets = true,
    readonly useRegex = true,
  ) {}

  decodeChain(tokens: string[]): string[] {
    const bytes: number[] = [];
    for (const token of tokens) {
      const start = bytes.length;
      let ok = true;
      for (let i = 0; i < token.length; i++) {
        const b = CHAR_TO_BYTE.get(token[i] as string);
        if (b === undefined) {
          ok = false;
          break;
        }
        bytes.push(b);
      }
      if (!ok) {
        bytes.length = start;
        for (const b of utf8(token)) bytes.push(b);
      }
    }
    return [decoder.decode(Uint8Array.from(bytes))];
  }

  toJSON(): { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean } {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
