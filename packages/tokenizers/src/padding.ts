/**
 * Padding of encodings to a fixed length or to the longest in a batch, optionally rounded up
 * to a multiple.
 *
 * Reference: HF `tokenizers/src/utils/padding.rs` (`pad_encodings`).
 */
import type { Direction, Encoding } from './encoding.js';
import { TokenizerConfigError, TokenizerJsonError } from './errors.js';
import { asObject, int, oneOf, optInt, str } from './json.js';

export interface PaddingParams {
  /** Pad to this length; absent pads to the longest of the batch. */
  readonly length?: number | null;
  /** Side the padding goes on (default 'right'). */
  readonly direction?: Direction;
  /** Round the target length up to a multiple of this (default none). */
  readonly padToMultipleOf?: number | null;
  /** Id of the padding token (default 0). */
  readonly padId?: number;
  /** Type id of padding (default 0). */
  readonly padTypeId?: number;
  /** The padding token (default `[PAD]`). */
  readonly padToken?: string;
}

export type ResolvedPadding = { readonly length: number | null; readonly padToMultipleOf: number | null } & Required<
  Omit<PaddingParams, 'length' | 'padToMultipleOf'>
>;

export function checkPadding(params: PaddingParams): ResolvedPadding {
  const { length = null, direction = 'right', padToMultipleOf = null, padId = 0, padTypeId = 0, padToken = '[PAD]' } = params;
  if (length !== null && (!Number.isInteger(length) || length < 0)) throw new TokenizerConfigError('padding.length', 'an integer >= 0', length);
  if (padToMultipleOf !== null && (!Number.isInteger(padToMultipleOf) || padToMultipleOf < 1)) {
    throw new TokenizerConfigError('padding.padToMultipleOf', 'an integer >= 1', padToMultipleOf);
  }
  if (direction !== 'right' && direction !== 'left') throw new TokenizerConfigError('padding.direction', "'right' or 'left'", direction);
  return { length, direction, padToMultipleOf, padId, padTypeId, padToken };
}

/** Pad every encoding of a batch in place. */
export function padEncodings(encodings: readonly Encoding[], p: ResolvedPadding): void {
  if (encodings.length === 0) return;
  let target = p.length ?? Math.max(...encodings.map((e) => e.length));
  if (p.padToMultipleOf !== null && target % p.padToMultipleOf !== 0) target += p.padToMultipleOf - (target % p.padToMultipleOf);
  for (const e of encodings) e.pad(target, p.padId, p.padTypeId, p.padToken, p.direction);
}

export function paddingToJson(p: ResolvedPadding): object {
  return {
    strategy: p.length === null ? 'BatchLongest' : { Fixed: p.length },
    direction: p.direction === 'right' ? 'Right' : 'Left',
    pad_to_multiple_of: p.padToMultipleOf,
    pad_id: p.padId,
    pad_type_id: p.padTypeId,
    pad_token: p.padToken,
  };
}

export function paddingFromJson(json: unknown, path = 'padding'): ResolvedPadding {
  const obj = asObject(json, path);
  let length: number | null = null;
  if (obj.strategy !== undefined && obj.strategy !== 'BatchLongest') {
    const fixed = asObject(obj.strategy, `${path}.strategy`);
    if (fixed.Fixed === undefined) throw new TokenizerJsonError(`${path}.strategy`, '"BatchLongest" or { "Fixed": n }', obj.strategy);
    length = int(fixed, 'Fixed', `${path}.strategy`);
  }
  return {
    length,
    direction: oneOf(obj, 'direction', path, ['Right', 'Left'], 'Right') === 'Right' ? 'right' : 'left',
    padToMultipleOf: optInt(obj, 'pad_to_multiple_of', path),
    padId: int(obj, 'pad_id', path, 0),
    padTypeId: int(obj, 'pad_type_id', path, 0),
    padToken: str(obj, 'pad_token', path, '[PAD]'),
  };
}
