/**
 * Logit bias: add a fixed amount to chosen tokens' logits; `-Infinity` bans a token.
 *
 * Reference: OpenAI API `logit_bias` (a map from token id to bias).
 * Porting note: OpenAI clamps biases to [−100, 100]; any finite bias or −∞ is accepted here.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkTokenId, type LogitsProcessor } from './processor.js';

/** Adds `bias[t]` to token t's logit, for every token id t in `bias`. */
export function logitBias(bias: Readonly<Record<number, number>>): LogitsProcessor {
  if (typeof bias !== 'object' || bias === null) throw new ConfigError('logitBias', 'an object mapping token ids to numbers', bias);
  const entries = Object.entries(bias).map(([key, value]): [number, number] => {
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0) throw new ConfigError('logitBias', 'token ids (integers ≥ 0) as keys', key);
    if (typeof value !== 'number' || !(Number.isFinite(value) || value === -Infinity)) {
      throw new ConfigError(`logitBias[${id}]`, 'a finite number or -Infinity', value);
    }
    return [id, value];
  });
  return (_ids, logits) => {
    for (const [id, value] of entries) {
      checkTokenId('logitBias', id, logits.length);
      logits[id]! += value;
    }
    return logits;
  };
}
