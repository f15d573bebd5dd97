/**
 * Bad words: a token sequence that must never be generated. A one-token entry is always masked;
 * a longer one masks its last token whenever the row ends with the rest of it.
 *
 * Reference: Hugging Face `NoBadWordsLogitsProcessor`.
 * Porting note: HF also drops entries equal to an EOS token; here the list is taken as given.
 */
import { ConfigError } from '@lmkit/tensor';
import { checkTokenId, type LogitsProcessor } from './processor.js';

/** Masks the last token of every bad sequence whose other tokens end the row. */
export function badWords(badWordsIds: readonly (readonly number[])[]): LogitsProcessor {
  if (!Array.isArray(badWordsIds)) throw new ConfigError('badWordsIds', 'an array of token-id arrays', badWordsIds);
  const words = badWordsIds.map((w, i) => {
    if (!Array.isArray(w) || w.length === 0 || !w.every((t) => Number.isInteger(t) && t >= 0)) {
      throw new ConfigError(`badWordsIds[${i}]`, 'a non-empty array of token ids (integers ≥ 0)', w);
    }
    return [...w];
  });
  return (ids, logits) => {
    for (const w of words) {
      const last = w[w.length - 1]!;
      checkTokenId('badWordsIds', last, logits.length);
      const prefix = w.length - 1;
      if (prefix > ids.length) continue;
      let match = true;
      for (let j = 0; j < prefix; j++) {
        if (ids[ids.length - prefix + j] !== w[j]) {
          match = false;
          break;
        }
      }
      if (match) logits[last] = -Infinity;
    }
    return logits;
  };
}
