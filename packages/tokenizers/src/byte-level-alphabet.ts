/**
 * GPT-2's byte ↔ character table: every byte maps to a printable character, so byte-level BPE
 * works on strings with no whitespace or control characters in them.
 *
 * Reference: `bytes_to_unicode` in OpenAI's GPT-2 `encoder.py`; HF `pre_tokenizers/byte_level.rs`.
 */

/** `BYTE_TO_CHAR[b]` is the character standing for byte `b`. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const table: string[] = new Array<string>(256);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(printable ? b : 256 + n++);
  }
  return table;
})();

/** `CHAR_TO_BYTE.get(ch)` is the byte a byte-level character stands for. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((ch, b) => [ch, b]));

/** The 256 byte-level characters (the initial alphabet of a byte-level BPE). */
export function byteLevelAlphabet(): string[] {
  return [...BYTE_TO_CHAR];
}
