/**
 * Metaspace decoder: `▁` back to spaces, dropping the one the pre-tokenizer prepended.
 *
 * Reference: HF `pre_tokenizers/metaspace.rs` (`Decoder for Metaspace`).
 */
import type { PrependScheme } from '../pre-tokenizers/metaspace.js';
import type { DecoderStage } from './decoder.js';

export class MetaspaceDecoder implements DecoderStage {
  constructor(
    readonly replacement = '\u2581',
    readonly prependScheme: PrependScheme = 'always',
    readonly split = true,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => {
      let out = '';
      for (const ch of token) {
        if (ch === this.replacement) out += i === 0 && this.prependScheme !== 'never' ? '' : ' ';
        else out += ch;
      }
      return out;
    });
  }

  toJSON(): { type: 'Metaspace'; replacement: string; prepend_scheme: PrependScheme; split: boolean } {
    return { type: 'Metaspace', replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}
