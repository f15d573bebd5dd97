/**
 * Typed errors shared by every lmkit package. Each names the argument or field at fault and
 * what was expected, so a message alone tells the user what to change.
 */

/** Base class of every error lmkit throws on purpose. */
export class LmkitError extends Error {
  override name = 'LmkitError';
}

/** A tensor argument has the wrong rank, size or dtype. */
export class ShapeError extends LmkitError {
  override name = 'ShapeError';
  constructor(
    readonly argument: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${argument}: expected ${expected}, got ${actual}`);
  }
}

/** A config field or option is out of its allowed range. */
export class ConfigError extends LmkitError {
  override name = 'ConfigError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`${field}: expected ${expected}, got ${describe(actual)}`);
  }
}

/** A named backend could not start; the message says why and what to install. */
export class BackendError extends LmkitError {
  override name = 'BackendError';
  constructor(
    readonly backend: string,
    reason: string,
  ) {
    super(`backend '${backend}' cannot start: ${reason}`);
  }
}

/** Malformed or unsupported safetensors bytes. */
export class SafetensorsError extends LmkitError {
  override name = 'SafetensorsError';
}

/** A state dict does not fit the module it is loaded into. */
export class StateDictError extends LmkitError {
  override name = 'StateDictError';
  constructor(
    readonly missing: readonly string[],
    readonly unexpected: readonly string[],
    readonly mismatched: readonly string[],
  ) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing keys: ${missing.join(', ')}`);
    if (unexpected.length > 0) parts.push(`unexpected keys: ${unexpected.join(', ')}`);
    if (mismatched.length > 0) parts.push(`mismatched: ${mismatched.join('; ')}`);
    super(`loadStateDict: ${parts.join(' | ')}`);
  }
}

/** A short, readable rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  return Object.prototype.toString.call(value);
}
