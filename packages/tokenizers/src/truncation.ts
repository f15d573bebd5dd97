/**
 * Truncation of an encoding or a pair to `maxLength` tokens, the cut tokens kept as
 * overflowing windows with `stride` tokens of overlap.
 *
 * Reference: HF `tokenizers/src/utils/truncation.rs` (`truncate_encodings`).
 */
import type { Direction, Encoding } from './encoding.js';
import { TokenizerConfigError, EncodeError } from './errors.js';
import { asObject, int, oneOf } from './json.js';

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';

export interface TruncationParams {
  /** Total length, special tokens included. */
  readonly maxLength: number;
  /** Overlap between consecutive overflowing windows (default 0). */
  readonly stride?: number;
  /** Which sequence loses tokens (default 'longest_first'). */
  readonly strategy?: TruncationStrategy;
  /** Which end is cut (default 'right'). */
  readonly direction?: Direction;
}

const STRATEGY_JSON = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' } as const;
const DIRECTION_JSON = { right: 'Right', left: 'Left' } as const;

export function checkTruncation(params: TruncationParams): Required<TruncationParams> {
  const { maxLength, stride = 0, strategy = 'longest_first', direction = 'right' } = params;
  if (!Number.isInteger(maxLength) || maxLength < 0) throw new TokenizerConfigError('truncation.maxLength', 'an integer >= 0', maxLength);
  if (!Number.isInteger(stride) || stride < 0) throw new TokenizerConfigError('truncation.stride', 'an integer >= 0', stride);
  if (!(strategy in STRATEGY_JSON)) throw new TokenizerConfigError('truncation.strategy', 'longest_first, only_first or only_second', strategy);
  if (direction !== 'right' && direction !== 'left') throw new TokenizerConfigError('truncation.direction', "'right' or 'left'", direction);
  return { maxLength, stride, strategy, direction };
}

/** Truncate `encoding` (and `pair`) in place so they hold at most `maxLength` tokens together. */
export function truncateEncodings(encoding: Encoding, pair: Encoding | null, params: Required<TruncationParams>): void {
  const { maxLength, stride, strategy, direction } = params;
  const total = encoding.length + (pair?.length ?? 0);
  if (total <= maxLength) return;
  const toRemove = total - maxLength;
  if (strategy === 'longest_first') {
    if (pair === null) {
      encoding.truncate(total - toRemove, stride, direction);
      return;
    }
    let n1 = encoding.length;
    let n2 = pair.length;
    const swap = n1 > n2;
    if (swap) [n1, n2] = [n2, n1];
    n2 = n1 > maxLength ? n1 : Math.max(n1, maxLength - n1);
    if (n1 + n2 > maxLength) {
      n1 = Math.floor(maxLength / 2);
      n2 = n1 + (maxLength % 2);
    }
    if (swap) [n1, n2] = [n2, n1];
    encoding.truncate(n1, stride, direction);
    pair.truncate(n2, stride, direction);
    return;
  }
  const target = strategy === 'only_first' ? encoding : pair;
  if (target === null) throw new EncodeError('truncation.strategy: only_second needs a pair of sequences');
  if (target.length <= toRemove) {
    throw new EncodeError(`truncation.maxLength: ${maxLength} leaves nothing of the ${strategy === 'only_first' ? 'first' : 'second'} sequence`);
  }
  target.truncate(target.length - toRemove, stride, direction);
}

export function truncationToJson(p: Required<TruncationParams>): object {
  return { direction: DIRECTION_JSON[p.direction], max_length: p.maxLength, strategy: STRATEGY_JSON[p.strategy], stride: p.stride };
}

export function truncationFromJson(json: unknown, path = 'truncation'): Required<TruncationParams> {
  const obj = asObject(json, path);
  const strategy = oneOf(obj, 'strategy', path, ['LongestFirst', 'OnlyFirst', 'OnlySecond'], 'LongestFirst');
  const direction = oneOf(obj, 'direction', path, ['Right', 'Left'], 'Right');
  return {
    maxLength: int(obj, 'max_length', path),
    stride: int(obj, 'stride', path, 0),
    strategy: strategy === 'LongestFirst' ? 'longest_first' : strategy === 'OnlyFirst' ? 'only_first' : 'only_second',
    direction: direction === 'Right' ? 'right' : 'left',
  };
}
