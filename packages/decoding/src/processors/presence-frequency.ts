/**
 * Presence and frequency penalties over the generated tokens:
 * `logit[t] −= frequencyPenalty · c[t] + presencePenalty · (c[t] > 0)`, where c[t] counts t among
 * the tokens generated so far (not the prompt).
 *
 * Reference: OpenAI API, "Parameter details" (frequency_penalty, presence_penalty; both in
 * [−2, 2]); vLLM counts generated tokens only, as here.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkTokenId, type LogitsProcessor } from './processor.js';

function checkPenalty(field: string, value: number): void {
  if (typeof value !== 'number' || !(value >= -2 && value <= 2)) throw new ConfigError(field, 'a number in [-2, 2]', value);
}

/** Subtracts `penalty` once from every token generated at least once; penalty in [−2, 2]. */
export function presencePenalty(penalty: number): LogitsProcessor {
  checkPenalty('presencePenalty', penalty);
  return penalise(penalty, 0);
}

/** Subtracts `penalty` from a token for every time it was generated; penalty in [−2, 2]. */
export function frequencyPenalty(penalty: number): LogitsProcessor {
  checkPenalty('frequencyPenalty', penalty);
  return penalise(0, penalty);
}

function penalise(presence: number, frequency: number): LogitsProcessor {
  let counts = new Uint32Array(0);
  return (ids, logits, promptLength = 0) => {
    if (counts.length !== logits.length) counts = new Uint32Array(logits.length);
    for (let i = promptLength; i < ids.length; i++) checkTokenId('ids', ids[i]!, logits.length);
    for (let i = promptLength; i < ids.length; i++) counts[ids[i]!]!++;
    for (let i = promptLength; i < ids.length; i++) {
      const t = ids[i]!;
      const c = counts[t]!;
      if (c === 0) continue; // already applied for this token
      logits[t]! -= frequency * c + presence;
      counts[t] = 0;
    }
    return logits;
  };
}
