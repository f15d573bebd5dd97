/**
 * CTC decoder: collapses repeated tokens, drops the pad (blank) token and turns the word
 * delimiter into spaces.
 *
 * Reference: HF `decoders/ctc.rs`; Graves et al. 2006 (CTC).
 */
import type { DecoderStage } from './decoder.js';
import { cleanup } from './word-piece-decoder.js';

export class CTC implements DecoderStage {
  constructor(
    readonly padToken = '<pad>',
    readonly wordDelimiterToken = '|',
    readonly cleanup = true,
  ) {}

  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    tokens.forEach((token, i) => {
      if (i > 0 && tokens[i - 1] === token) return;
      let t = token.replaceAll(this.padToken, '');
      if (this.cleanup) t = cleanup(t).replaceAll(this.wordDelimiterToken, ' ');
      if (t.length > 0) out.push(t);
    });
    return out;
  }

  toJSON(): { type: 'CTC'; pad_token: string; word_delimiter_token: string; cleanup: boolean } {
    return { type: 'CTC', pad_token: this.padToken, word_delimiter_token: this.wordDelimiterToken, cleanup: this.cleanup };
  }
}
