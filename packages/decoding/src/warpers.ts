/**
 * The sampling warpers (temperature, top-k, top-p, min-p, typical, ε) as one pipeline that hands
 * the sampler only the tokens still in play: the row is compacted to its unmasked entries (in
 * token order), so after top-k the later warpers and the draw touch k values instead of V.
 *
 * Reference: Hugging Face `_get_logits_processor` (warper order: temperature, top-k, top-p,
 * min-p, typical, ε) and the exported processors of this package, which it must equal exactly.
 * Porting note: temperature and top-k run fused in two passes over V — the k-th largest logit τ
 * by a heap, then keep fround(x / T) ≥ fround(τ / T). Dividing by T > 0 is monotone, so this keeps
 * exactly the tokens that dividing first and then taking the top k keeps, ties included. The other
 * warpers only look at unmasked values, so running them on the compacted row changes nothing.
 */
import { kthLargest } from './processors/select.js';
import type { LogitsProcessor } from './processors/processor.js';

/** The unmasked tokens of a processed row: `values[j]` is the score of token `index[j]`. */
export interface CompactRow {
  readonly values: Float32Array;
  readonly index: Int32Array;
}

export class SamplingWarpers {
  private values = new Float32Array(0);
  private index = new Int32Array(0);

  /**
   * @param temperature divides the logits (1: off).
   * @param topK keeps the k best (0: off).
   * @param rest the warpers after top-k, in order (top-p, min-p, typical, ε).
   */
  constructor(
    private readonly temperature: number,
    private readonly topK: number,
    private readonly rest: readonly LogitsProcessor[],
  ) {}

  /** Warps a dense row (`[V]`; may be edited) and returns its unmasked tokens. */
  apply(ids: readonly number[], logits: Float32Array, promptLength: number): CompactRow {
    const V = logits.length;
    if (this.values.length < V) {
      this.values = new Float32Array(V);
      this.index = new Int32Array(V);
    }
    const t = this.temperature;
    // The cut on the undivided logits, carried through the division (monotone, so exact).
    const tau = this.topK > 0 ? kthLargest(logits, V, this.topK) : -Infinity;
    const cut = t === 1 ? tau : Math.fround(tau / t);
    let n = 0;
    for (let i = 0; i < V; i++) {
      const x = logits[i]!;
      if (x === -Infinity) continue;
      const y = t === 1 ? x : Math.fround(x / t);
      if (y < cut) continue;
      this.index[n] = i;
      this.values[n++] = y;
    }
    let values: Float32Array = this.values.subarray(0, n);
    for (const warp of this.rest) values = warp(ids, values, promptLength);
    return { values, index: this.index.subarray(0, n) };
  }
}
