/**
 * Character classes used across the pipeline, with the meaning Rust gives them in Hugging Face
 * `tokenizers` (`char::is_whitespace`, `is_numeric`, BERT's punctuation test, the `regex`
 * crate's `\w`), plus UTF-16 helpers.
 *
 * Reference: Rust `core::char` and `regex-syntax` Unicode classes; HF `normalizers/bert.rs`.
 * Porting note: Rust strings cannot hold a lone surrogate; JavaScript strings can. Stages treat a
 * lone surrogate as one character, and byte-level encoding writes it as U+FFFD (what the Rust
 * binding receives after Node converts the string to UTF-8).
 */

/** Rust `char::is_whitespace` (the Unicode White_Space property). */
export const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
/** Rust `char::is_numeric` (Nd, Nl, No). */
export const NUMERIC = /\p{N}/u;
/** BERT punctuation: ASCII punctuation or any Unicode P* character. */
export const BERT_PUNCTUATION = /[!-/:-@[-`{-~\p{P}]/u;
/** Unicode `\w` as the Rust `regex` crate defines it. */
export const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;

export function isWhitespace(ch: string): boolean {
  return WHITESPACE.test(ch);
}

/** The code point at `i`, lone surrogates included. */
export function codePointLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Replace every lone surrogate with U+FFFD (String.prototype.toWellFormed of ES2024). */
export function toWellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** UTF-8 bytes of a string; lone surrogates become the bytes of U+FFFD. */
const encoder = new TextEncoder();
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Escape a literal for use in a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Compile an Oniguruma pattern from a `tokenizer.json` (Split, Replace) as a global, Unicode
 * JavaScript RegExp. Returns null when JavaScript cannot express it.
 *
 * Porting note: Node 20's RegExp lacks inline modifier groups, so `(?i:...)` (used by the
 * Llama 3 and cl100k patterns) is rewritten by case-expanding its ASCII letters outside classes.
 */
export function compileOniguruma(source: string): RegExp | null {
  const rewritten = source.replace(/\(\?i:((?:[^()\\]|\\.)*)\)/g, (_, body: string) => `(?:${caseExpand(body)})`);
  try {
    return new RegExp(rewritten, 'gu');
  } catch {
    try {
      return new RegExp(rewritten, 'g');
    } catch {
      return null;
    }
  }
}

function caseExpand(body: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch === '\\') {
      out += ch + (body[i + 1] ?? '');
      i++;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === ']') {
      inClass = false;
      out += ch;
    } else if (!inClass && /[a-zA-Z]/.test(ch)) {
      out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    } else {
      out += ch;
    }
  }
  return out;
}
