/**
 * BertNormalizer: removes control characters and maps whitespace to spaces, puts spaces around
 * CJK ideographs, strips accents and lowercases (the original BERT `BasicTokenizer` cleanup).
 *
 * Reference: HF `normalizers/bert.rs`; Devlin et al. 2018, `tokenization.py`.
 * `stripAccents = null` follows `lowercase`, as in HF.
 */
import type { NormalizedString } from '../normalized-string.js';
import { isWhitespace } from '../unicode.js';
import { lowercase } from './lowercase.js';
import type { NormalizerStage } from './normalizer.js';
import { stripAccents } from './strip-accents.js';
import { normalizeForm } from './unicode-form.js';

export interface BertNormalizerConfig {
  /** Remove control characters and map whitespace to ' ' (default true). */
  readonly cleanText?: boolean;
  /** Surround CJK ideographs with spaces (default true). */
  readonly handleChineseChars?: boolean;
  /** NFD then drop marks; null follows `lowercase` (default null). */
  readonly stripAccents?: boolean | null;
  /** Lowercase (default true). */
  readonly lowercase?: boolean;
}

/** Rust `char::is_other` minus tab / newline / carriage return. */
const CONTROL = /\p{C}/u;
/** Anything but printable ASCII may need cleaning. */
const NEEDS_CLEAN = /[^\x20-\x7e]/;

function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

export class BertNormalizer implements NormalizerStage {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  readonly stripAccents: boolean | null;
  readonly lowercase: boolean;

  constructor(config: BertNormalizerConfig = {}) {
    this.cleanText = config.cleanText ?? true;
    this.handleChineseChars = config.handleChineseChars ?? true;
    this.stripAccents = config.stripAccents ?? null;
    this.lowercase = config.lowercase ?? true;
  }

  normalize(input: NormalizedString): NormalizedString {
    let s = input;
    if (this.cleanText && NEEDS_CLEAN.test(s.text)) {
      s = s.filter((ch) => ch !== '\ufffd' && !(ch !== '\t' && ch !== '\n' && ch !== '\r' && CONTROL.test(ch)));
      s = s.mapCodePoints((ch) => (isWhitespace(ch) ? ' ' : ch));
    }
    if (this.handleChineseChars && /[^\x00-\u33ff]/.test(s.text)) {
      s = s.mapCodePoints((ch) => (isChineseChar(ch.codePointAt(0) as number) ? ` ${ch} ` : ch));
    }
    if (this.stripAccents ?? this.lowercase) s = stripAccents(normalizeForm(s, 'NFD'));
    if (this.lowercase) s = lowercase(s);
    return s;
  }

  toJSON(): { type: 'BertNormalizer'; clean_text: boolean; handle_chinese_chars: boolean; strip_accents: boolean | null; lowercase: boolean } {
    return {
      type: 'BertNormalizer',
      clean_text: this.cleanText,
      handle_chinese_chars: this.handleChineseChars,
      strip_accents: this.stripAccents,
      lowercase: this.lowercase,
    };
  }
}
