/**
 * The model factory: builds a model from its `tokenizer.json` object, keyed on `type` (a
 * missing `type` is inferred from the fields, as HF's untagged deserializer does).
 *
 * Reference: HF `models/mod.rs` (`ModelWrapper` deserialization), BPE merges in both the
 * `"a b"` and the `["a", "b"]` formats.
 */
import { TokenizerJsonError } from '../errors.js';
import { asArray, asString, bool, isObject, optInt, optNumber, optStr, str, typeTag, unknownType, vocabMap, int, type JsonObject } from '../json.js';
import { BPE } from './bpe.js';
import type { ModelStage } from './model.js';
import { Unigram } from './unigram.js';
import { WordLevel } from './word-level.js';
import { WordPiece } from './word-piece.js';

const TYPES = ['BPE', 'WordPiece', 'WordLevel', 'Unigram'];

/** @param path where `json` sits in the file, for error messages (`model`). */
export function modelFromJson(json: unknown, path = 'model'): ModelStage {
  const type = isObject(json) && json.type === undefined ? inferType(json) : typeTag(json, path).type;
  const obj = json as JsonObject;
  switch (type) {
    case 'BPE':
      return new BPE(vocabMap(obj, 'vocab', path), merges(obj, path), {
        dropout: optNumber(obj, 'dropout', path),
        unkToken: optStr(obj, 'unk_token', path),
        continuingSubwordPrefix: optStr(obj, 'continuing_subword_prefix', path),
        endOfWordSuffix: optStr(obj, 'end_of_word_suffix', path),
        fuseUnk: bool(obj, 'fuse_unk', path, false),
        byteFallback: bool(obj, 'byte_fallback', path, false),
        ignoreMerges: bool(obj, 'ignore_merges', path, false),
      }, path);
    case 'WordPiece':
      return new WordPiece(vocabMap(obj, 'vocab', path), {
        unkToken: str(obj, 'unk_token', path, '[UNK]'),
        continuingSubwordPrefix: str(obj, 'continuing_subword_prefix', path, '##'),
        maxInputCharsPerWord: int(obj, 'max_input_chars_per_word', path, 100),
      });
    case 'WordLevel':
      return new WordLevel(vocabMap(obj, 'vocab', path), str(obj, 'unk_token', path, '<unk>'));
    case 'Unigram':
      return new Unigram(pieces(obj, path), { unkId: optInt(obj, 'unk_id', path), byteFallback: bool(obj, 'byte_fallback', path, false) }, path);
    default:
      throw unknownType(path, type, TYPES);
  }
}

function inferType(obj: JsonObject): string {
  if (obj.merges !== undefined) return 'BPE';
  if (Array.isArray(obj.vocab)) return 'Unigram';
  if (obj.continuing_subword_prefix !== undefined || obj.max_input_chars_per_word !== undefined) return 'WordPiece';
  return 'WordLevel';
}

function merges(obj: JsonObject, path: string): Array<[string, string]> {
  return asArray(obj.merges, `${path}.merges`).map((m, i) => {
    const at = `${path}.merges[${i}]`;
    if (typeof m === 'string') {
      const parts = m.split(' ');
      if (parts.length !== 2) throw new TokenizerJsonError(at, 'two tokens separated by one space', m);
      return [parts[0] as string, parts[1] as string];
    }
    const pair = asArray(m, at);
    if (pair.length !== 2) throw new TokenizerJsonError(at, 'a pair of tokens', m);
    return [asString(pair[0], `${at}[0]`), asString(pair[1], `${at}[1]`)];
  });
}

function pieces(obj: JsonObject, path: string): Array<[string, number]> {
  return asArray(obj.vocab, `${path}.vocab`).map((entry, i) => {
    const at = `${path}.vocab[${i}]`;
    const pair = asArray(entry, at);
    const score = pair[1];
    if (pair.length !== 2 || typeof score !== 'number') throw new TokenizerJsonError(at, 'a [piece, score] pair', entry);
    return [asString(pair[0], `${at}[0]`), score];
  });
}
