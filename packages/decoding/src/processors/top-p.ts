/**
 * Top-p (nucleus) sampling: keep the smallest set of most likely tokens whose probability mass
 * reaches p, mask the rest.
 *
 * Reference: Holtzman et al., "The Curious Case of Neural Text Degeneration" (2020); Hugging
 * Face `TopPLogitsWarper`: a token is kept when the mass of the tokens ranked above it is < p.
 * Porting note: HF sorts the whole vocabulary; here the cut is found by quickselect over the
 * unmasked tokens (after top-k only k of them), in expected linear time. HF's sort breaks ties
 * at the cut arbitrarily; here tokens tied with the last kept one are all kept.
 */
import { ConfigError } from '@lmkit/tensor';
import { Candidates, checkMinTokensToKeep, maskBelow, type LogitsProcessor } from './processor.js';
import { kthLargest, massThreshold } from './select.js';

/** Masks the tokens outside the nucleus of mass `p`, p in (0, 1]; keeps at least `minTokensToKeep`. */
export function topP(p: number, minTokensToKeep = 1): LogitsProcessor {
  if (typeof p !== 'number' || !(p > 0 && p <= 1)) throw new ConfigError('topP', 'a number in (0, 1]', p);
  const keep = checkMinTokensToKeep(minTokensToKeep);
  const c = new Candidates();
  return (_ids, logits) => {
    const { n, value, prob } = c.collect(logits);
    if (n === 0) return logits;
    const floor = keep > 1 ? kthLargest(value, n, keep) : Infinity;
    return maskBelow(logits, Math.min(massThreshold(value, prob, n, p), floor));
  };
}
