/**
 * Samplers: turn one processed row of scores into a token. Greedy takes the argmax; multinomial
 * draws from softmax(scores) with the seam's seeded `Rng`, so a seed gives the same tokens on
 * every backend that gives the same logits.
 *
 * Reference: transformers.js `GreedySampler` / `MultinomialSampler`; Hugging Face `_sample`.
 * Porting note: both return −1 for a row whose every token is masked (HF's `torch.multinomial`
 * raises on it); the loop turns that into an error naming the step and row.
 */
import type { Rng } from '@lmkit/tensor';

/** Picks a token from a row of scores; −1 when every token is masked. */
export type Sampler = (logits: Float32Array) => number;

/** The highest-scoring token; the lowest id among ties (as `torch.argmax`). */
export const argmax: Sampler = (logits) => {
  let best = -1;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i]! > max) {
      max = logits[i]!;
      best = i;
    }
  }
  return best;
};

/** Draws token i with probability softmax(logits)[i], one `rng.uniform()` per draw. */
export function multinomial(rng: Rng): Sampler {
  let index = new Int32Array(0);
  let weight = new Float64Array(0);
  return (logits) => {
    if (index.length < logits.length) {
      index = new Int32Array(logits.length);
      weight = new Float64Array(logits.length);
    }
    // Gather the unmasked tokens (after top-k there are only k), then exponentiate only those.
    let n = 0;
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) {
      const x = logits[i]!;
      if (x === -Infinity) continue;
      index[n] = i;
      weight[n++] = x;
      if (x > max) max = x;
    }
    if (n === 0) return -1;
    let sum = 0;
    let last = 0; // the last token with a non-zero weight, for when rounding leaves u ≥ 0
    for (let j = 0; j < n; j++) {
      const w = Math.exp(weight[j]! - max);
      weight[j] = w;
      sum += w;
      if (w > 0) last = j;
    }
    let u = rng.uniform() * sum;
    for (let j = 0; j < n; j++) {
      u -= weight[j]!;
      if (u < 0) return index[j]!;
    }
    return index[last]!;
  };
}
