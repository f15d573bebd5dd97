/**
 * Epsilon sampling: mask every token whose probability is below ε (the most likely
 * `minTokensToKeep` always stay).
 *
 * Reference: Hewitt et al., "Truncation Sampling as Language Model Desmoothing" (2022); Hugging
 * Face `EpsilonLogitsWarper`.
 * Porting note: p < ε is tested as logit < log Σ exp(logits) + ln ε, without a full softmax.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkMinTokensToKeep, logSumExp, maskBelow, rowMax, type LogitsProcessor } from './processor.js';
import { kthLargest } from './select.js';

/** Masks tokens with p < ε, ε in (0, 1); the top `minTokensToKeep` tokens are always kept. */
export function epsilonCutoff(epsilon: number, minTokensToKeep = 1): LogitsProcessor {
  if (typeof epsilon !== 'number' || !(epsilon > 0 && epsilon < 1)) {
    throw new ConfigError('epsilonCutoff', 'a number in (0, 1)', epsilon);
  }
  const keep = checkMinTokensToKeep(minTokensToKeep);
  const logEpsilon = Math.log(epsilon);
  return (_ids, logits) => {
    const logZ = logSumExp(logits);
    if (logZ === -Infinity) return logits;
    const floor = keep > 1 ? kthLargest(logits, logits.length, keep) : rowMax(logits);
    return maskBelow(logits, Math.min(logZ + logEpsilon, floor));
  };
}
