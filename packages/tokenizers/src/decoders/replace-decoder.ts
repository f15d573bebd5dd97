/**
 * Replace decoder: replaces every match of a literal or regex in each token.
 *
 * Reference: HF `normalizers/replace.rs` (`Decoder for Replace`).
 */
import type { PatternJson } from '../json.js';
import type { DecoderStage } from './decoder.js';

export class ReplaceDecoder implements DecoderStage {
  /** @param regex the compiled `pattern` (global RegExp, or the literal string). */
  constructor(
    readonly pattern: PatternJson,
    readonly content: string,
    private readonly regex: RegExp | string,
  ) {}

  decodeChain(tokens: string[]): string[] {
    const { regex, content } = this;
    return tokens.map((t) => (typeof regex === 'string' ? t.replaceAll(regex, () => content) : t.replace(regex, () => content)));
  }

  toJSON(): { type: 'Replace'; pattern: PatternJson; content: string } {
    return { type: 'Replace', pattern: this.pattern, content: this.content };
  }
}
