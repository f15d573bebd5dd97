/**
 * Minimum length: the EOS tokens are masked until the row has generated `minNewTokens` tokens.
 *
 * Reference: Hugging Face `MinNewTokensLengthLogitsProcessor`.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkTokenId, type LogitsProcessor } from './processor.js';

/** Masks `eosTokenIds` while fewer than `minNewTokens` tokens follow the prompt. */
export function minNewTokens(minNewTokens: number, eosTokenIds: readonly number[]): LogitsProcessor {
  if (!Number.isInteger(minNewTokens) || minNewTokens < 0) throw new ConfigError('minNewTokens', 'an integer ≥ 0', minNewTokens);
  if (!Array.isArray(eosTokenIds) || eosTokenIds.length === 0) {
    throw new ConfigError('eosTokenId', 'at least one EOS token id when minNewTokens is set', eosTokenIds);
  }
  const eos = [...eosTokenIds];
  return (ids, logits, promptLength = 0) => {
    if (ids.length - promptLength >= minNewTokens) return logits;
    for (const t of eos) {
      checkTokenId('eosTokenId', t, logits.length);
      logits[t] = -Infinity;
    }
    return logits;
  };
}
