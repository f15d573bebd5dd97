/**
 * ByteLevel pre-tokenizer: optionally adds a leading space, splits with the GPT-2 regex, then
 * rewrites each word's UTF-8 bytes as the printable byte-level characters.
 *
 * Reference: HF `pre_tokenizers/byte_level.rs`; Radford et al. 2019 (GPT-2) `encoder.py`.
 * Porting note: a lone surrogate (impossible in Rust) is written as the bytes of U+FFFD, which is
 * what the Rust binding sees after Node converts the string to UTF-8.
 */
import { AlignedBuilder, type NormalizedString } from '../normalized-string.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import { splitNormalized } from '../split-behavior.js';
import { BYTE_TO_CHAR } from '../byte-level-alphabet.js';
import { codePointLength, utf8 } from '../unicode.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

/** The GPT-2 split pattern (contractions, letters, numbers, other, whitespace). */
export const GPT2_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const PRINTABLE_ASCII_OR_SPACE = /^[\x20-\x7e]*$/;

export interface ByteLevelConfig {
  /** Add a space in front of each split that does not start with one (default true). */
  readonly addPrefixSpace?: boolean;
  /** Used by the ByteLevel post-processor only; kept for the JSON (default true). */
  readonly trimOffsets?: boolean;
  /** Split with the GPT-2 pattern (default true). */
  readonly useRegex?: boolean;
}

export class ByteLevel implements PreTokenizerStage {
  readonly addPrefixSpace: boolean;
  readonly trimOffsets: boolean;
  readonly useRegex: boolean;

  constructor(config: ByteLevelConfig = {}) {
    this.addPrefixSpace = config.addPrefixSpace ?? true;
    this.trimOffsets = config.trimOffsets ?? true;
    this.useRegex = config.useRegex ?? true;
  }

  preTokenize(pretokenized: PreTokenizedString): void {
    pretokenized.split((_, normalized) => {
      const s = this.addPrefixSpace && !normalized.text.startsWith(' ') ? normalized.prepend(' ') : normalized;
      return this.useRegex ? splitNormalized(s, GPT2_PATTERN, 'Isolated') : [s];
    });
    pretokenized.normalize(toByteLevel);
  }

  toJSON(): { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean } {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}

/** Each UTF-8 byte of `input` as its byte-level character, aligned to the character it encodes. */
export function toByteLevel(input: NormalizedString): NormalizedString {
  const { text } = input;
  if (PRINTABLE_ASCII_OR_SPACE.test(text)) return input.withSameAlignment(text.replaceAll(' ', '\u0120'));
  const out = new AlignedBuilder(text.length * 2);
  for (let i = 0; i < text.length; ) {
    const n = codePointLength(text, i);
    const code = text.charCodeAt(i);
    if (code < 0x80) out.copyAs(input, i, BYTE_TO_CHAR[code] as string);
    else {
      let chars = '';
      for (const b of utf8(text.slice(i, i + n))) chars += BYTE_TO_CHAR[b] as string;
      out.push(chars, input.startOf(i), input.endOf(i + n - 1));
    }
    i += n;
  }
  return out.build(input.originalRange(0, 0)[0]);
}
