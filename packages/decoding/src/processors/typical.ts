/**
 * Locally typical sampling: keep the tokens whose surprisal −log p is closest to the entropy H of
 * the distribution, most typical first, until their mass reaches `typicalP`.
 *
 * Reference: Meister et al., "Locally Typical Sampling" (2023); Hugging Face
 * `TypicalLogitsWarper`: tokens sorted by |−log p − H|, cut after the first one whose cumulative
 * mass reaches `typicalP`, every token as typical as that one kept.
 * Porting note: the cut is found by quickselect instead of a sort (ties kept, as HF).
 */
import { ConfigError } from '@lmkit/tensor';
import { Candidates, checkMinTokensToKeep, type LogitsProcessor } from './processor.js';
import { kthLargest, massThreshold } from './select.js';

/** Masks all but the most typical tokens of mass `typicalP`, in (0, 1]; keeps at least `minTokensToKeep`. */
export function typicalP(typicalP: number, minTokensToKeep = 1): LogitsProcessor {
  if (typeof typicalP !== 'number' || !(typicalP > 0 && typicalP <= 1)) {
    throw new ConfigError('typicalP', 'a number in (0, 1]', typicalP);
  }
  const keep = checkMinTokensToKeep(minTokensToKeep);
  const c = new Candidates();
  return (_ids, logits) => {
    const { n, index, value, prob, logZ } = c.collect(logits);
    if (n === 0) return logits;
    let entropy = 0; // H = −Σ p log p, with log p = x − logZ
    for (let j = 0; j < n; j++) entropy -= prob[j]! * (value[j]! - logZ);
    // Key = −|−log p − H|: larger is more typical.
    const keyOf = (x: number) => -Math.abs(logZ - x - entropy);
    for (let j = 0; j < n; j++) value[j] = keyOf(value[j]!);
    const floor = keep > 1 ? kthLargest(value, n, keep) : Infinity;
    const threshold = Math.min(massThreshold(value, prob, n, typicalP), floor);
    if (threshold === -Infinity) return logits;
    for (let j = 0; j < n; j++) {
      const i = index[j]!;
      if (keyOf(logits[i]!) < threshold) logits[i] = -Infinity;
    }
    return logits;
  };
}
