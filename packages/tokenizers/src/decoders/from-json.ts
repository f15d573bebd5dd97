/**
 * The decoder factory: builds a decoder from its `tokenizer.json` object, keyed on `type`.
 *
 * Reference: HF `decoders/mod.rs` (`DecoderWrapper` deserialization).
 */
import { asArray, bool, int, oneOf, pattern, str, typeTag, unknownType } from '../json.js';
import { compilePattern } from '../normalizers/from-json.js';
import { singleChar } from '../pre-tokenizers/from-json.js';
import { PREPEND_SCHEMES } from '../pre-tokenizers/metaspace.js';
import { BpeDecoder } from './bpe-decoder.js';
import { ByteFallback } from './byte-fallback.js';
import { ByteLevelDecoder } from './byte-level-decoder.js';
import { CTC } from './ctc.js';
import type { DecoderStage } from './decoder.js';
import { Fuse } from './fuse.js';
import { MetaspaceDecoder } from './metaspace-decoder.js';
import { ReplaceDecoder } from './replace-decoder.js';
import { DecoderSequence } from './sequence.js';
import { StripDecoder } from './strip-decoder.js';
import { WordPieceDecoder } from './word-piece-decoder.js';

const TYPES = ['ByteLevel', 'WordPiece', 'Metaspace', 'BPEDecoder', 'ByteFallback', 'Fuse', 'Strip', 'Replace', 'CTC', 'Sequence'];

/** @param path where `json` sits in the file, for error messages (`decoder`). */
export function decoderFromJson(json: unknown, path = 'decoder'): DecoderStage {
  const { obj, type } = typeTag(json, path);
  switch (type) {
    case 'ByteLevel':
      return new ByteLevelDecoder(bool(obj, 'add_prefix_space', path, true), bool(obj, 'trim_offsets', path, true), bool(obj, 'use_regex', path, true));
    case 'WordPiece':
      return new WordPieceDecoder(str(obj, 'prefix', path, '##'), bool(obj, 'cleanup', path, true));
    case 'Metaspace': {
      const legacy = obj.prepend_scheme === undefined && typeof obj.add_prefix_space === 'boolean';
      const scheme = legacy ? (obj.add_prefix_space ? 'always' : 'never') : oneOf(obj, 'prepend_scheme', path, PREPEND_SCHEMES, 'always');
      return new MetaspaceDecoder(singleChar(obj, 'replacement', path, '\u2581'), scheme, bool(obj, 'split', path, true));
    }
    case 'BPEDecoder':
      return new BpeDecoder(str(obj, 'suffix', path, '</w>'));
    case 'ByteFallback':
      return new ByteFallback();
    case 'Fuse':
      return new Fuse();
    case 'Strip':
      return new StripDecoder(singleChar(obj, 'content', path), int(obj, 'start', path), int(obj, 'stop', path));
    case 'Replace': {
      const p = pattern(obj, 'pattern', path);
      return new ReplaceDecoder(p, str(obj, 'content', path), compilePattern(p, `${path}.pattern`));
    }
    case 'CTC':
      return new CTC(str(obj, 'pad_token', path, '<pad>'), str(obj, 'word_delimiter_token', path, '|'), bool(obj, 'cleanup', path, true));
    case 'Sequence':
      return new DecoderSequence(asArray(obj.decoders, `${path}.decoders`).map((d, i) => decoderFromJson(d, `${path}.decoders[${i}]`)));
    default:
      throw unknownType(path, type, TYPES);
  }
}
