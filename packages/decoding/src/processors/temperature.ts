/**
 * Temperature: divide the logits by T. T < 1 sharpens the distribution, T > 1 flattens it.
 *
 * Reference: Hugging Face transformers `TemperatureLogitsWarper`.
 */
import { ConfigError } from '@lmkit/tensor';
import type { LogitsProcessor } from './processor.js';

/** Validates a temperature: a finite number > 0. */
export function checkTemperature(t: number): number {
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
    throw new ConfigError('temperature', 'a finite number > 0 (for greedy decoding set doSample: false)', t);
  }
  return t;
}

/** `logits / t`; `t` must be a finite number > 0 (greedy decoding is `doSample: false`, not T = 0). */
export function temperature(t: number): LogitsProcessor {
  checkTemperature(t);
  return (_ids, logits) => {
    for (let i = 0; i < logits.length; i++) logits[i]! /= t;
    return logits;
  };
}
