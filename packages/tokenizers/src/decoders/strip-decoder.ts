/**
 * Strip decoder: removes up to `start` leading and `stop` trailing copies of a character from
 * each token.
 *
 * Reference: HF `decoders/strip.rs`.
 */
import type { DecoderStage } from './decoder.js';

export class StripDecoder implements DecoderStage {
  constructor(
    readonly content: string,
    readonly start: number,
    readonly stop: number,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token) => {
      const chars = [...token];
      let s = 0;
      while (s < this.start && s < chars.length && chars[s] === this.content) s++;
      let e = chars.length;
      while (chars.length - e < this.stop && e > s && chars[e - 1] === this.content) e--;
      return chars.slice(s, e).join('');
    });
  }

  toJSON(): { type: 'Strip'; content: string; start: number; stop: number } {
    return { type: 'Strip', content: this.content, start: this.start, stop: this.stop };
  }
}
