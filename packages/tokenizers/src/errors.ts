/**
 * Typed errors of @lmkit/tokenizers. Each names the JSON path or argument at fault and what was
 * expected, so the message alone says what to change in a `tokenizer.json` or a call.
 *
 * Reference: Hugging Face `tokenizers` raises serde errors naming the field; these do the same
 * with a full path such as `model.merges[12]`.
 */

/** Base class of every error this package throws on purpose. */
export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

/** A `tokenizer.json` (or a stage's JSON) is malformed at `path`. */
export class TokenizerJsonError extends TokenizerError {
  override name = 'TokenizerJsonError';
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`${path}: expected ${expected}, got ${describe(actual)}`);
  }
}

/** A call argument or config field is out of its allowed range. */
export class TokenizerConfigError extends TokenizerError {
  override name = 'TokenizerConfigError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`${field}: expected ${expected}, got ${describe(actual)}`);
  }
}

/** Input cannot be encoded, e.g. a word has no token and the model has no `unk_token`. */
export class EncodeError extends TokenizerError {
  override name = 'EncodeError';
}

/** Short, printable description of a value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
