/**
 * The post-processor factory: builds a post-processor from its `tokenizer.json` object, keyed on
 * `type`.
 *
 * Reference: HF `processors/mod.rs` (`PostProcessorWrapper` deserialization).
 */
import { TokenizerJsonError } from '../errors.js';
import { asArray, asInt, asObject, asString, bool, typeTag, unknownType, type JsonObject } from '../json.js';
import { BertProcessing, type SpecialTokenPair } from './bert-processing.js';
import { ByteLevelProcessing } from './byte-level-processing.js';
import type { PostProcessorStage } from './post-processor.js';
import { RobertaProcessing } from './roberta-processing.js';
import { PostProcessorSequence } from './sequence.js';
import { TemplateProcessing, type SpecialTokenSpec, type TemplatePiece } from './template-processing.js';

const TYPES = ['TemplateProcessing', 'BertProcessing', 'RobertaProcessing', 'ByteLevel', 'Sequence'];

/** @param path where `json` sits in the file, for error messages (`post_processor`). */
export function postProcessorFromJson(json: unknown, path = 'post_processor'): PostProcessorStage {
  const { obj, type } = typeTag(json, path);
  switch (type) {
    case 'BertProcessing':
      return new BertProcessing(tokenPair(obj, 'sep', path), tokenPair(obj, 'cls', path));
    case 'RobertaProcessing':
      return new RobertaProcessing({
        sep: tokenPair(obj, 'sep', path),
        cls: tokenPair(obj, 'cls', path),
        trimOffsets: bool(obj, 'trim_offsets', path, true),
        addPrefixSpace: bool(obj, 'add_prefix_space', path, true),
      });
    case 'ByteLevel':
      return new ByteLevelProcessing({
        trimOffsets: bool(obj, 'trim_offsets', path, true),
        addPrefixSpace: bool(obj, 'add_prefix_space', path, true),
        useRegex: bool(obj, 'use_regex', path, true),
      });
    case 'TemplateProcessing':
      return new TemplateProcessing(pieces(obj, 'single', path), pieces(obj, 'pair', path), specials(obj, path), path);
    case 'Sequence':
      return new PostProcessorSequence(asArray(obj.processors, `${path}.processors`).map((p, i) => postProcessorFromJson(p, `${path}.processors[${i}]`)));
    default:
      throw unknownType(path, type, TYPES);
  }
}

function tokenPair(obj: JsonObject, key: string, path: string): SpecialTokenPair {
  const at = `${path}.${key}`;
  const pair = asArray(obj[key], at);
  if (pair.length !== 2) throw new TokenizerJsonError(at, 'a [token, id] pair', pair);
  return [asString(pair[0], `${at}[0]`), asInt(pair[1], `${at}[1]`)];
}

function pieces(obj: JsonObject, key: string, path: string): TemplatePiece[] {
  return asArray(obj[key], `${path}.${key}`).map((p, i) => {
    const at = `${path}.${key}[${i}]`;
    const piece = asObject(p, at);
    if (piece.Sequence !== undefined) {
      const s = asObject(piece.Sequence, `${at}.Sequence`);
      if (s.id !== 'A' && s.id !== 'B') throw new TokenizerJsonError(`${at}.Sequence.id`, '"A" or "B"', s.id);
      return { Sequence: { id: s.id, type_id: asInt(s.type_id, `${at}.Sequence.type_id`) } };
    }
    if (piece.SpecialToken !== undefined) {
      const s = asObject(piece.SpecialToken, `${at}.SpecialToken`);
      return { SpecialToken: { id: asString(s.id, `${at}.SpecialToken.id`), type_id: asInt(s.type_id, `${at}.SpecialToken.type_id`) } };
    }
    throw new TokenizerJsonError(at, '{ "Sequence": ... } or { "SpecialToken": ... }', p);
  });
}

function specials(obj: JsonObject, path: string): Map<string, SpecialTokenSpec> {
  const raw = asObject(obj.special_tokens ?? {}, `${path}.special_tokens`);
  const out = new Map<string, SpecialTokenSpec>();
  for (const [key, value] of Object.entries(raw)) {
    const at = `${path}.special_tokens[${JSON.stringify(key)}]`;
    const spec = asObject(value, at);
    const ids = asArray(spec.ids, `${at}.ids`).map((id, i) => asInt(id, `${at}.ids[${i}]`));
    const tokens = asArray(spec.tokens, `${at}.tokens`).map((t, i) => asString(t, `${at}.tokens[${i}]`));
    if (ids.length !== tokens.length) throw new TokenizerJsonError(`${at}.tokens`, `${ids.length} tokens, one per id`, tokens);
    out.set(key, { id: asString(spec.id ?? key, `${at}.id`), ids, tokens });
  }
  return out;
}
