/**
 * The pre-tokenizer factory: builds a pre-tokenizer from its `tokenizer.json` object, keyed on
 * `type`.
 *
 * Reference: HF `pre_tokenizers/mod.rs` (`PreTokenizerWrapper` deserialization).
 */
import { TokenizerJsonError } from '../errors.js';
import { asArray, bool, oneOf, pattern, str, typeTag, unknownType, type JsonObject } from '../json.js';
import { compilePattern } from '../normalizers/from-json.js';
import { SPLIT_BEHAVIORS } from '../split-behavior.js';
import { BertPreTokenizer } from './bert-pre-tokenizer.js';
import { ByteLevel } from './byte-level.js';
import { CharDelimiterSplit } from './char-delimiter-split.js';
import { Digits } from './digits.js';
import { Metaspace, PREPEND_SCHEMES, type PrependScheme } from './metaspace.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';
import { Punctuation } from './punctuation.js';
import { PreTokenizerSequence } from './sequence.js';
import { Split } from './split.js';
import { UnicodeScripts } from './unicode-scripts.js';
import { WhitespaceSplit } from './whitespace-split.js';
import { Whitespace } from './whitespace.js';

const TYPES = [
  'ByteLevel',
  'Whitespace',
  'WhitespaceSplit',
  'BertPreTokenizer',
  'Metaspace',
  'Punctuation',
  'Digits',
  'Split',
  'CharDelimiterSplit',
  'UnicodeScripts',
  'Sequence',
];

/** @param path where `json` sits in the file, for error messages (`pre_tokenizer`). */
export function preTokenizerFromJson(json: unknown, path = 'pre_tokenizer'): PreTokenizerStage {
  const { obj, type } = typeTag(json, path);
  switch (type) {
    case 'ByteLevel':
      return new ByteLevel({
        addPrefixSpace: bool(obj, 'add_prefix_space', path, true),
        trimOffsets: bool(obj, 'trim_offsets', path, true),
        useRegex: bool(obj, 'use_regex', path, true),
      });
    case 'Whitespace':
      return new Whitespace();
    case 'WhitespaceSplit':
      return new WhitespaceSplit();
    case 'BertPreTokenizer':
      return new BertPreTokenizer();
    case 'Metaspace':
      return new Metaspace({
        replacement: singleChar(obj, 'replacement', path, '\u2581'),
        prependScheme: prependScheme(obj, path),
        split: bool(obj, 'split', path, true),
      });
    case 'Punctuation':
      return new Punctuation(oneOf(obj, 'behavior', path, SPLIT_BEHAVIORS, 'Isolated'));
    case 'Digits':
      return new Digits(bool(obj, 'individual_digits', path, false));
    case 'Split': {
      const p = pattern(obj, 'pattern', path);
      return new Split(p, oneOf(obj, 'behavior', path, SPLIT_BEHAVIORS), bool(obj, 'invert', path, false), compilePattern(p, `${path}.pattern`));
    }
    case 'CharDelimiterSplit':
      return new CharDelimiterSplit(singleChar(obj, 'delimiter', path));
    case 'UnicodeScripts':
      return new UnicodeScripts();
    case 'Sequence':
      return new PreTokenizerSequence(
        asArray(obj.pretokenizers, `${path}.pretokenizers`).map((p, i) => preTokenizerFromJson(p, `${path}.pretokenizers[${i}]`)),
      );
    default:
      throw unknownType(path, type, TYPES);
  }
}

/** A field holding exactly one character (a Rust `char`). */
export function singleChar(obj: JsonObject, key: string, path: string, fallback?: string): string {
  const s = str(obj, key, path, fallback);
  if ([...s].length !== 1) throw new TokenizerJsonError(`${path}.${key}`, 'a single character', s);
  return s;
}

/** `prepend_scheme`, or the legacy `add_prefix_space` flag. */
function prependScheme(obj: JsonObject, path: string): PrependScheme {
  if (obj.prepend_scheme === undefined && typeof obj.add_prefix_space === 'boolean') return obj.add_prefix_space ? 'always' : 'never';
  return oneOf(obj, 'prepend_scheme', path, PREPEND_SCHEMES, 'always');
}
