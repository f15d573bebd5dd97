/** Config checks shared by the cells and layers; each throws a `ConfigError` naming the field. */
import { ConfigError } from '@lmkit/tensor';

/** The Elman recurrence's activation. */
export type Nonlinearity = 'tanh' | 'relu';

/** Checks an Elman nonlinearity name. */
export function checkNonlinearity(field: string, value: unknown): Nonlinearity {
  if (value !== 'tanh' && value !== 'relu') throw new ConfigError(field, "'tanh' or 'relu'", value);
  return value;
}

/** Checks an optional boolean flag, `fallback` when omitted. */
export function checkFlag(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(field, 'a boolean', value);
  return value;
}
