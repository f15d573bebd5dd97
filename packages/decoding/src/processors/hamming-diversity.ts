/**
 * Hamming diversity, for diverse (group) beam search: each token is penalised by
 * `diversityPenalty` times the number of beams of earlier groups that chose it at this step.
 *
 * Reference: Vijayakumar et al., "Diverse Beam Search" (2018); Hugging Face
 * `HammingDiversityLogitsProcessor`.
 * Porting note: HF's processor sees the whole batch and the group index; here the beam search
 * builds one per group and step from the tokens the earlier groups chose.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkTokenId, type LogitsProcessor } from './processor.js';

/** Subtracts `penalty` from a token's score once for each time it occurs in `chosen`. */
export function hammingDiversity(penalty: number, chosen: readonly number[]): LogitsProcessor {
  if (typeof penalty !== 'number' || !Number.isFinite(penalty) || penalty < 0) {
    throw new ConfigError('diversityPenalty', 'a finite number ≥ 0', penalty);
  }
  return (_ids, logits) => {
    for (const t of chosen) {
      checkTokenId('chosen', t, logits.length);
      logits[t]! -= penalty;
    }
    return logits;
  };
}
