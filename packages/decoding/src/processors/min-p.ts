/**
 * Min-p: mask the tokens whose probability is below `minP` times the top token's probability.
 *
 * Reference: Nguyen et al., "Turning Up the Heat: Min-p Sampling for Creative and Coherent LLM
 * Outputs" (2024); Hugging Face `MinPLogitsWarper`.
 * Porting note: p < minP · p_max is tested as logit < max + ln(minP), without a softmax.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkMinTokensToKeep, maskBelow, rowMax, type LogitsProcessor } from './processor.js';
import { kthLargest } from './select.js';

/** Masks tokens with p < minP · p_max, minP in [0, 1]; keeps at least `minTokensToKeep`. */
export function minP(minP: number, minTokensToKeep = 1): LogitsProcessor {
  if (typeof minP !== 'number' || !(minP >= 0 && minP <= 1)) throw new ConfigError('minP', 'a number in [0, 1]', minP);
  const keep = checkMinTokensToKeep(minTokensToKeep);
  const logMinP = Math.log(minP);
  return (_ids, logits) => {
    const max = rowMax(logits);
    if (max === -Infinity) return logits;
    const floor = keep > 1 ? kthLargest(logits, logits.length, keep) : Infinity;
    return maskBelow(logits, Math.min(max + logMinP, floor));
  };
}
