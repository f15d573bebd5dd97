/**
 * The Hugging Face Rust binding (npm `tokenizers`) as a reference in tests, with its offsets
 * converted from code points to UTF-16 units.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface RustEncoding {
  getIds(): number[];
  getTokens(): string[];
  getOffsets(): number[][];
  getWordIds(): Array<number | null | undefined>;
  getTypeIds(): number[];
  getSpecialTokensMask(): number[];
  getAttentionMask(): number[];
  getOverflowing(): RustEncoding[];
}

export interface RustTokenizer {
  encode(text: string, pair?: string | null, options?: { addSpecialTokens?: boolean }): Promise<RustEncoding>;
  encodeBatch(inputs: Array<string | [string, string]>, options?: { addSpecialTokens?: boolean }): Promise<RustEncoding[]>;
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
  save(path: string, pretty?: boolean): void;
  train(files: string[]): void;
  setTruncation(maxLength: number, options?: { stride?: number; strategy?: string; direction?: string }): void;
}

interface Binding {
  Tokenizer: { fromString(json: string): RustTokenizer; fromFile(path: string): RustTokenizer };
}

/** The binding, loaded once. */
export const rust = require('tokenizers') as Binding;

/** A code-point offset → UTF-16 offset converter for `text`. */
export function codePointToUtf16(text: string): (offset: number) => number {
  const table: number[] = [];
  let unit = 0;
  for (const ch of text) {
    table.push(unit);
    unit += ch.length;
  }
  table.push(unit);
  return (offset) => table[offset] ?? unit;
}

/** The binding's offsets in UTF-16 units. */
export function utf16Offsets(text: string, e: RustEncoding): Array<[number, number]> {
  const convert = codePointToUtf16(text);
  return e.getOffsets().map(([s, t]) => [convert(s as number), convert(t as number)]);
}
