/**
 * No-repeat n-gram: a token that would complete an n-gram already present in the row (prompt
 * included) is masked.
 *
 * Reference: Paulus et al., "A Deep Reinforced Model for Abstractive Summarization" (2018);
 * Hugging Face `NoRepeatNGramLogitsProcessor`.
 * Porting note: HF builds a dict of every (n−1)-gram prefix each step; here the row is scanned
 * for occurrences of its last n − 1 tokens, which bans the same tokens without allocating.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkTokenId, type LogitsProcessor } from './processor.js';

/** Masks every token that would repeat an n-gram of the row; n ≥ 1. */
export function noRepeatNgram(n: number): LogitsProcessor {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError('noRepeatNgramSize', 'an integer ≥ 1 (0 in options turns it off)', n);
  return (ids, logits) => {
    const T = ids.length;
    if (T + 1 < n) return logits;
    const suffix = T - (n - 1); // the last n − 1 tokens start here
    // An n-gram ids[i..i+n) repeats the suffix when ids[i..i+n−1) equals ids[suffix..T).
    for (let i = 0; i + n - 1 < T; i++) {
      let match = true;
      for (let j = 0; j < n - 1; j++) {
        if (ids[i + j] !== ids[suffix + j]) {
          match = false;
          break;
        }
      }
      if (!match) continue;
      const banned = ids[i + n - 1]!;
      checkTokenId('ids', banned, logits.length);
      logits[banned] = -Infinity;
    }
    return logits;
  };
}
