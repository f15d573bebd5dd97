/**
 * The normalizer factory: builds a normalizer from its `tokenizer.json` object, keyed on `type`.
 *
 * Reference: HF `normalizers/mod.rs` (`NormalizerWrapper` deserialization).
 */
import { TokenizerJsonError } from '../errors.js';
import { asArray, bool, pattern, str, typeTag, unknownType } from '../json.js';
import { compileOniguruma } from '../unicode.js';
import { BertNormalizer } from './bert-normalizer.js';
import { Lowercase } from './lowercase.js';
import type { NormalizerStage } from './normalizer.js';
import { Precompiled } from './precompiled.js';
import { Prepend } from './prepend.js';
import { Replace } from './replace.js';
import { NormalizerSequence } from './sequence.js';
import { StripAccents } from './strip-accents.js';
import { Strip } from './strip.js';
import { UnicodeFormNormalizer } from './unicode-form.js';

const TYPES = ['NFC', 'NFD', 'NFKC', 'NFKD', 'Lowercase', 'Strip', 'StripAccents', 'Replace', 'Prepend', 'BertNormalizer', 'Precompiled', 'Sequence'];

/** @param path where `json` sits in the file, for error messages (`normalizer`). */
export function normalizerFromJson(json: unknown, path = 'normalizer'): NormalizerStage {
  const { obj, type } = typeTag(json, path);
  switch (type) {
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return new UnicodeFormNormalizer(type);
    case 'Lowercase':
      return new Lowercase();
    case 'Strip':
      return new Strip(bool(obj, 'strip_left', path, true), bool(obj, 'strip_right', path, true));
    case 'StripAccents':
      return new StripAccents();
    case 'Replace': {
      const p = pattern(obj, 'pattern', path);
      return new Replace(p, str(obj, 'content', path), compilePattern(p, `${path}.pattern`));
    }
    case 'Prepend':
      return new Prepend(str(obj, 'prepend', path));
    case 'BertNormalizer':
      return new BertNormalizer({
        cleanText: bool(obj, 'clean_text', path, true),
        handleChineseChars: bool(obj, 'handle_chinese_chars', path, true),
        stripAccents: obj.strip_accents === undefined || obj.strip_accents === null ? null : bool(obj, 'strip_accents', path),
        lowercase: bool(obj, 'lowercase', path, true),
      });
    case 'Precompiled':
      return Precompiled.fromBase64(str(obj, 'precompiled_charsmap', path), `${path}.precompiled_charsmap`);
    case 'Sequence':
      return new NormalizerSequence(asArray(obj.normalizers, `${path}.normalizers`).map((n, i) => normalizerFromJson(n, `${path}.normalizers[${i}]`)));
    default:
      throw unknownType(path, type, TYPES);
  }
}

/** A `{ String }` pattern as a literal, a `{ Regex }` one compiled (global, Unicode). */
export function compilePattern(p: { readonly String: string } | { readonly Regex: string }, path: string): RegExp | string {
  if ('String' in p) return p.String;
  const re = compileOniguruma(p.Regex);
  if (re === null) throw new TokenizerJsonError(`${path}.Regex`, 'a regular expression JavaScript can compile', p.Regex);
  return re;
}

