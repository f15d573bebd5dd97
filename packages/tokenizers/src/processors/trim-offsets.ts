/**
 * Byte-level offset trimming: moves each token's offsets past its leading and trailing spaces
 * (`Ġ` or whitespace), keeping a space that `add_prefix_space` added to the first token.
 *
 * Reference: HF `pre_tokenizers/byte_level.rs` (`process_offsets`).
 */
import type { Encoding } from '../encoding.js';
import { isWhitespace } from '../unicode.js';

const isSpace = (ch: string): boolean => ch === '\u0120' || isWhitespace(ch);

export function trimOffsets(encoding: Encoding, addPrefixSpace: boolean): void {
  encoding.tokens.forEach((token, i) => {
    const offsets = encoding.offsets[i];
    if (offsets === undefined) return;
    const chars = [...token];
    let leading = 0;
    while (leading < chars.length && isSpace(chars[leading] as string)) leading++;
    let trailing = 0;
    while (trailing < chars.length && isSpace(chars[chars.length - 1 - trailing] as string)) trailing++;
    if (leading > 0) {
      const isFirst = i === 0 || offsets[0] === 0;
      if (isFirst && addPrefixSpace && leading === 1) leading = 0;
      offsets[0] = Math.min(offsets[0] + leading, offsets[1]);
    }
    if (trailing > 0 && offsets[1] >= trailing) offsets[1] = Math.max(offsets[1] - trailing, offsets[0]);
  });
  for (const o of encoding.overflowing) trimOffsets(o, addPrefixSpace);
}
