/**
 * The n-best list of finished hypotheses of one beam search (one prompt, one beam group), and
 * when that search may stop.
 *
 * Reference: Hugging Face transformers `BeamHypotheses` (generation/beam_search.py), line by
 * line: score = sum(log p) / generated_length^lengthPenalty; the worst of more than `numBeams`
 * is dropped (ties: the one added first); `isDone` with early stopping true (n hypotheses are
 * enough), false (heuristic bound from the current length) or 'never' (exact bound).
 */

/** A finished sequence: prompt + generated tokens, with its length-normalised score. */
export interface Hypothesis {
  readonly ids: number[];
  readonly score: number;
  readonly logprobs: number[] | undefined;
}

export class BeamHypotheses {
  readonly beams: Hypothesis[] = [];
  private worstScore = 1e9;

  constructor(
    private readonly numBeams: number,
    private readonly lengthPenalty: number,
    private readonly earlyStopping: boolean | 'never',
    private readonly maxNewTokens: number,
  ) {}

  /** Offers a hypothesis of `generatedLength` new tokens whose log-probabilities sum to `sumLogprobs`. */
  add(ids: number[], sumLogprobs: number, generatedLength: number, logprobs: number[] | undefined): void {
    const score = sumLogprobs / generatedLength ** this.lengthPenalty;
    if (this.beams.length < this.numBeams || score > this.worstScore) {
      this.beams.push({ ids, score, logprobs });
      if (this.beams.length > this.numBeams) {
        const order = this.beams.map((b, i) => [b.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.beams.splice(order[0]![1], 1);
        this.worstScore = order[1]![0];
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  /** Whether no live beam can still beat the worst kept hypothesis, per `earlyStopping`. */
  isDone(bestSumLogprobs: number, generatedLength: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    // 'never' with a positive length penalty: the best score is reached at the longest length.
    const length = this.earlyStopping === 'never' && this.lengthPenalty > 0 ? this.maxNewTokens : generatedLength;
    return this.worstScore >= bestSumLogprobs / length ** this.lengthPenalty;
  }
}
