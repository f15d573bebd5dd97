/**
 * WordPiece decoder: joins pieces, removing the `##` prefix and putting a space before each
 * word-initial piece; optionally cleans up spaces before punctuation and contractions.
 *
 * Reference: HF `decoders/wordpiece.rs` (`cleanup`).
 */
import type { DecoderStage } from './decoder.js';

/** BERT's detokenization cleanup (` .` → `.`, ` n't` → `n't`, ...). */
export function cleanup(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(' do not', " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

export class WordPieceDecoder implements DecoderStage {
  constructor(
    readonly prefix = '##',
    readonly cleanup = true,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => {
      let t = token;
      if (i !== 0) t = t.startsWith(this.prefix) ? t.replace(this.prefix, '') : ` ${t}`;
      return this.cleanup ? cleanup(t) : t;
    });
  }

  toJSON(): { type: 'WordPiece'; prefix: string; cleanup: boolean } {
    return { type: 'WordPiece', prefix: this.prefix, cleanup: this.cleanup };
  }
}
