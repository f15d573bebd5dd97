/**
 * Readers for `tokenizer.json` fields: each checks a field's type and throws a
 * `TokenizerJsonError` naming its full path (`model.vocab`, `normalizer.normalizers[2].type`).
 *
 * Reference: the serde structs of Hugging Face `tokenizers`; a field that serde would default is
 * optional here with the same default.
 */
import { TokenizerJsonError } from './errors.js';

/** A parsed JSON object. */
export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asObject(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw new TokenizerJsonError(path, 'an object', value);
  return value;
}

export function asArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new TokenizerJsonError(path, 'an array', value);
  return value;
}

export function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new TokenizerJsonError(path, 'a string', value);
  return value;
}

export function asInt(value: unknown, path: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TokenizerJsonError(path, `an integer >= ${min}`, value);
  }
  return value;
}

/** Field `key` of `obj` as a string; `fallback` when absent or null (if given). */
export function str(obj: JsonObject, key: string, path: string, fallback?: string): string {
  const v = obj[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  return asString(v, `${path}.${key}`);
}

/** Field `key` as a string or null (absent reads as null). */
export function optStr(obj: JsonObject, key: string, path: string): string | null {
  const v = obj[key];
  return v === undefined || v === null ? null : asString(v, `${path}.${key}`);
}

export function bool(obj: JsonObject, key: string, path: string, fallback?: boolean): boolean {
  const v = obj[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') throw new TokenizerJsonError(`${path}.${key}`, 'a boolean', v);
  return v;
}

export function int(obj: JsonObject, key: string, path: string, fallback?: number): number {
  const v = obj[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  return asInt(v, `${path}.${key}`);
}

export function optInt(obj: JsonObject, key: string, path: string): number | null {
  const v = obj[key];
  return v === undefined || v === null ? null : asInt(v, `${path}.${key}`);
}

export function optNumber(obj: JsonObject, key: string, path: string): number | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TokenizerJsonError(`${path}.${key}`, 'a number', v);
  return v;
}

/** One of `allowed` (string enum field). */
export function oneOf<T extends string>(obj: JsonObject, key: string, path: string, allowed: readonly T[], fallback?: T): T {
  const v = obj[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new TokenizerJsonError(`${path}.${key}`, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
  }
  return v as T;
}

/** A `{ token: id }` vocabulary object as a Map. */
export function vocabMap(obj: JsonObject, key: string, path: string): Map<string, number> {
  const raw = asObject(obj[key], `${path}.${key}`);
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(raw)) vocab.set(token, asInt(id, `${path}.${key}[${JSON.stringify(token)}]`));
  return vocab;
}

/** `{ "String": s }` or `{ "Regex": r }`, the pattern shape of Split, Replace. */
export type PatternJson = { readonly String: string } | { readonly Regex: string };

export function pattern(obj: JsonObject, key: string, path: string): PatternJson {
  const p = asObject(obj[key], `${path}.${key}`);
  if (typeof p.String === 'string') return { String: p.String };
  if (typeof p.Regex === 'string') return { Regex: p.Regex };
  throw new TokenizerJsonError(`${path}.${key}`, '{ "String": string } or { "Regex": string }', p);
}

/** A stage's `type` tag. */
export function typeTag(value: unknown, path: string): { obj: JsonObject; type: string } {
  const obj = asObject(value, path);
  return { obj, type: asString(obj.type, `${path}.type`) };
}

export function unknownType(path: string, type: string, known: readonly string[]): TokenizerJsonError {
  return new TokenizerJsonError(`${path}.type`, `one of ${known.join(', ')}`, type);
}
