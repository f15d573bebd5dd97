/**
 * Top-k: keep the k highest-scoring tokens, mask the rest.
 *
 * Reference: Fan et al., "Hierarchical Neural Story Generation" (2018); Hugging Face
 * `TopKLogitsWarper` (which keeps every token tied with the k-th, as here).
 * Porting note: the k-th value is found with a bounded heap in one pass, not `torch.topk`.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkMinTokensToKeep, maskBelow, type LogitsProcessor } from './processor.js';
import { kthLargest } from './select.js';

/** Masks every token below the k-th largest logit (ties with it are kept); k ≥ 1. */
export function topK(k: number, minTokensToKeep = 1): LogitsProcessor {
  if (!Number.isInteger(k) || k < 1) throw new ConfigError('topK', 'an integer ≥ 1 (0 in options turns top-k off)', k);
  const keep = Math.max(k, checkMinTokensToKeep(minTokensToKeep));
  return (_ids, logits) => maskBelow(logits, kthLargest(logits, logits.length, keep));
}
