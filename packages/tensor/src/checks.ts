/** Argument checks shared by layers: each throws a `ShapeError` or `ConfigError` naming the argument. */
import { ConfigError, ShapeError } from './errors.js';
import type { tf } from './tf.js';

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Asserts `x` is a tensor whose rank is one of `ranks`. */
export function assertRank(argument: string, x: tf.Tensor, ranks: readonly number[]): void {
  if (!ranks.includes(x.rank)) {
    throw new ShapeError(argument, `rank ${ranks.join(' or ')}`, `rank ${x.rank} (shape ${fmt(x.shape)})`);
  }
}

/** Asserts `x`'s last dimension is `size`. */
export function assertLastDim(argument: string, x: tf.Tensor, size: number): void {
  if (x.rank === 0 || x.shape[x.rank - 1] !== size) {
    throw new ShapeError(argument, `last dimension ${size}`, `shape ${fmt(x.shape)}`);
  }
}

/** Asserts `x` has exactly `shape` (−1 matches any size). */
export function assertShape(argument: string, x: tf.Tensor, shape: readonly number[]): void {
  const ok = x.rank === shape.length && shape.every((d, i) => d === -1 || d === x.shape[i]);
  if (!ok) throw new ShapeError(argument, `shape ${fmt(shape.map((d) => (d === -1 ? '*' : d) as number))}`, `shape ${fmt(x.shape)}`);
}

/** Asserts `x` has one of `dtypes`. */
export function assertDtype(argument: string, x: tf.Tensor, dtypes: readonly tf.DataType[]): void {
  if (!dtypes.includes(x.dtype)) throw new ShapeError(argument, `dtype ${dtypes.join(' or ')}`, `dtype ${x.dtype}`);
}

/** Asserts a config field is an integer in [min, max]. */
export function checkInt(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new ConfigError(field, range, value);
  }
  return value;
}

/** Asserts a config field is a finite number in [min, max] (or [min, max) when `maxExclusive`). */
export function checkNumber(field: string, value: unknown, min: number, max: number, maxExclusive = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && (maxExclusive ? value < max : value <= max);
  if (!ok) throw new ConfigError(field, `a number in [${min}, ${max}${maxExclusive ? ')' : ']'}`, value);
  return value as number;
}

/** A normalisation layer's `normalizedShape` config as a list of positive dimensions. */
export function checkNormalizedShape(field: string, value: number | readonly number[]): number[] {
  const shape = typeof value === 'number' ? [value] : [...value];
  if (shape.length === 0) throw new ShapeError(field, 'at least one dimension', '[]');
  shape.forEach((d, i) => checkInt(`${field}[${i}]`, d, 1));
  return shape;
}

/** Asserts `x` ends with the dimensions `tail`; returns the axes they occupy. */
export function assertTrailing(argument: string, x: tf.Tensor, tail: readonly number[]): number[] {
  const n = tail.length;
  if (x.rank < n || x.shape.slice(-n).some((d, i) => d !== tail[i])) {
    throw new ShapeError(argument, `trailing dimensions ${fmt(tail)}`, `shape ${fmt(x.shape)}`);
  }
  return Array.from({ length: n }, (_, i) => x.rank - n + i);
}

/**
 * Asserts float32 attention inputs q (B, H, Tq, d), k (B, H, Tk, d), v (B, H, Tk, dv) of `where`
 * agree; returns their dims.
 */
export function assertAttentionInputs(where: string, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): { B: number; H: number; Tq: number; Tk: number; d: number; dv: number } {
  for (const [name, x] of [['q', q], ['k', k], ['v', v]] as const) {
    assertRank(`${where}(${name})`, x, [4]);
    assertDtype(`${where}(${name})`, x, ['float32']);
  }
  const [B, H, Tq, d] = q.shape as [number, number, number, number];
  const Tk = k.shape[2]!;
  if (k.shape[0] !== B || k.shape[1] !== H || k.shape[3] !== d) {
    throw new ShapeError(`${where}(k)`, `shape [${B}, ${H}, Tk, ${d}] to match q`, `shape [${k.shape.join(', ')}]`);
  }
  if (v.shape[0] !== B || v.shape[1] !== H || v.shape[2] !== Tk) {
    throw new ShapeError(`${where}(v)`, `shape [${B}, ${H}, ${Tk}, dv] to match q and k`, `shape [${v.shape.join(', ')}]`);
  }
  return { B, H, Tq, Tk, d, dv: v.shape[3]! };
}
