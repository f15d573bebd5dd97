/**
 * Repetition penalty: every token already in the row (prompt included) has its score divided by
 * the penalty when positive and multiplied by it when negative, once however often it occurs.
 *
 * Reference: Keskar et al., "CTRL" (2019); Hugging Face `RepetitionPenaltyLogitsProcessor`
 * (gather, `where(score < 0, score · θ, score / θ)`, scatter).
 */
import { ConfigError } from '@lmkit/tensor';
import { checkTokenId, type LogitsProcessor } from './processor.js';

/** θ > 1 discourages repeats, θ < 1 encourages them; θ must be a finite number > 0. */
export function repetitionPenalty(penalty: number): LogitsProcessor {
  if (typeof penalty !== 'number' || !Number.isFinite(penalty) || penalty <= 0) {
    throw new ConfigError('repetitionPenalty', 'a finite number > 0', penalty);
  }
  // seen[t] === stamp marks t as penalised in this call, so repeats are penalised once.
  let seen = new Uint32Array(0);
  let stamp = 0;
  return (ids, logits) => {
    if (seen.length !== logits.length) {
      seen = new Uint32Array(logits.length);
      stamp = 0;
    }
    stamp = (stamp + 1) >>> 0;
    if (stamp === 0) {
      seen.fill(0);
      stamp = 1;
    }
    for (const t of ids) {
      if (seen[t] === stamp) continue;
      checkTokenId('ids', t, logits.length);
      seen[t] = stamp;
      const x = logits[t]!;
      logits[t] = x < 0 ? x * penalty : x / penalty;
    }
    return logits;
  };
}
