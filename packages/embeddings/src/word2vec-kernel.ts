/**
 * The word2vec training loop over plain Float32Arrays (Mikolov et al., 2013, "Distributed
 * Representations of Words and Phrases and their Compositionality"), following word2vec.c and
 * gensim's `word2vec_inner.pyx`: skip-gram and CBOW with negative sampling, frequent-word
 * subsampling and window shrinking, one batch of sentences per call. No tensors: per-word tensor
 * ops would cost more than the arithmetic.
 *
 * Porting note: a saturated score (|f| > 6) still updates with the gradient of the clipped sigmoid,
 * as word2vec.c does (gensim skips such samples).
 * Porting note: negative samples come from Walker's alias table of the unigram^0.75 distribution
 * (exact, O(1) per draw) rather than word2vec.c's 10⁸-entry table or gensim's binary search.
 * Porting note: random numbers come from a xorshift32 generator seeded from the trainer's `Rng`
 * (word2vec.c uses a 48-bit LCG), so a seed gives the same vectors on every platform.
 *
 * `trainWord2VecBatch` uses nothing from outside its own body: worker threads run it from its
 * source text (./word2vec-threads.ts), so it must stay self-contained.
 */

/** The model and its fixed tables; the arrays may live in a SharedArrayBuffer. */
export interface Word2VecState {
  /** Input vectors, row-major [V, D]: the word vectors. */
  readonly syn0: Float32Array;
  /** Output vectors for negative sampling [V, D]. */
  readonly syn1neg: Float32Array;
  readonly dim: number;
  readonly skipGram: boolean;
  /** CBOW: average (true) or sum (false) the context vectors. */
  readonly cbowMean: boolean;
  readonly window: number;
  readonly negative: number;
  /** Probability of keeping each word under subsampling [V] (1 when off). */
  readonly keep: Float32Array;
  /** Alias table of the noise distribution: column i keeps i with aliasProb[i], else aliasOf[i]. */
  readonly aliasProb: Float32Array;
  readonly aliasOf: Int32Array;
  /** The generator state (one uint32, never 0), advanced by every call. */
  readonly rng: Uint32Array;
}

/** What one call trained. */
export interface BatchResult {
  /** Words trained on, after subsampling (gensim's "effective words"). */
  effectiveWords: number;
  /** (center, context) pairs for skip-gram, windows for CBOW. */
  examples: number;
  /** Σ over examples of −log σ(f₊) − Σ log σ(−f₋). */
  loss: number;
}

/**
 * Trains on the sentences of `ids` (vocabulary ids; sentence s is ids[ends[s−1] … ends[s]−1]) at
 * learning rate `alpha`, updating `state.syn0` and `state.syn1neg` in place.
 */
export function trainWord2VecBatch(state: Word2VecState, ids: Int32Array, ends: Int32Array, alpha: number): BatchResult {
  const { syn0, syn1neg, dim: D, window, keep, skipGram, cbowMean } = state;
  const work = new Float32Array(D);
  const neu1 = new Float32Array(D);
  const MAX_EXP = 6;
  const TABLE = 1000;
  // σ(x) and log σ(x) at TABLE points of [−6, 6), as word2vec.c's expTable.
  const SIGMOID = new Float64Array(TABLE);
  const LOG_SIGMOID = new Float64Array(TABLE);
  for (let i = 0; i < TABLE; i++) {
    SIGMOID[i] = 1 / (1 + Math.exp(-((2 * i) / TABLE - 1) * MAX_EXP));
    LOG_SIGMOID[i] = Math.log(SIGMOID[i]!);
  }
  const { negative, aliasProb, aliasOf } = state;
  const V = aliasProb.length;

  /** A uniform number in [0, 1) from the xorshift32 state io[0], which it advances. */
  function nextUniform(io: Float64Array): number {
    let r = io[0]! | 0;
    r ^= r << 13;
    r ^= r >>> 17;
    r ^= r << 5;
    io[0] = r >>> 0;
    return (r >>> 0) / 4294967296;
  }

  /**
   * One positive and `negative` noise predictions for the hidden vector h = hs[h0 … h0+D−1]:
   * updates the output vectors and accumulates h's gradient step in `work`; adds the loss to io[1].
   */
  function negativeSampling(hs: Float32Array, h0: number, word: number, io: Float64Array): void {
    let loss = 0;
    for (let d = 0; d <= negative; d++) {
      let target = word;
      let label = 1;
      if (d > 0) {
        const col = Math.floor(nextUniform(io) * V);
        target = nextUniform(io) < aliasProb[col]! ? col : aliasOf[col]!;
        if (target === word) continue;
        label = 0;
      }
      const row2 = target * D;
      let f = 0;
      for (let k = 0; k < D; k++) f += hs[h0 + k]! * syn1neg[row2 + k]!;
      let g: number;
      if (f >= MAX_EXP) {
        g = (label - 1) * alpha;
        loss += label === 1 ? 0 : f;
      } else if (f <= -MAX_EXP) {
        g = label * alpha;
        loss += label === 1 ? -f : 0;
      } else {
        const idx = Math.floor((f + MAX_EXP) * (TABLE / MAX_EXP / 2));
        g = (label - SIGMOID[idx]!) * alpha;
        loss -= label === 1 ? LOG_SIGMOID[idx]! : LOG_SIGMOID[TABLE - 1 - idx]!;
      }
      for (let k = 0; k < D; k++) {
        const out = syn1neg[row2 + k]!;
        work[k] = work[k]! + g * out;
        syn1neg[row2 + k] = out + g * hs[h0 + k]!;
      }
    }
    io[1] = io[1]! + loss;
  }

  const sentence = new Int32Array(ids.length);
  // io[0]: the generator state, io[1]: the loss so far, shared with `negativeSampling`.
  const io = Float64Array.of(state.rng[0]!, 0);
  let effectiveWords = 0;
  let examples = 0;
  let start = 0;
  for (let s = 0; s < ends.length; s++) {
    const end = ends[s]!;
    // Subsample: keep word w with probability keep[w].
    let n = 0;
    for (let i = start; i < end; i++) {
      const w = ids[i]!;
      const p = keep[w]!;
      if (p < 1 && nextUniform(io) >= p) continue;
      sentence[n++] = w;
    }
    start = end;
    effectiveWords += n;
    for (let i = 0; i < n; i++) {
      // Window shrinking: a window of window − b words on each side, b uniform in [0, window).
      const b = Math.floor(nextUniform(io) * window);
      const from = Math.max(0, i - window + b);
      const to = Math.min(n, i + window + 1 - b);
      const word = sentence[i]!;
      if (skipGram) {
        // gensim's order: the context word's vector predicts the center word.
        for (let j = from; j < to; j++) {
          if (j === i) continue;
          const row1 = sentence[j]! * D;
          work.fill(0);
          negativeSampling(syn0, row1, word, io);
          for (let k = 0; k < D; k++) syn0[row1 + k] = syn0[row1 + k]! + work[k]!;
          examples++;
        }
        continue;
      }
      neu1.fill(0);
      let count = 0;
      for (let j = from; j < to; j++) {
        if (j === i) continue;
        const row1 = sentence[j]! * D;
        for (let k = 0; k < D; k++) neu1[k] = neu1[k]! + syn0[row1 + k]!;
        count++;
      }
      if (count === 0) continue;
      if (cbowMean) for (let k = 0; k < D; k++) neu1[k] = neu1[k]! / count;
      work.fill(0);
      negativeSampling(neu1, 0, word, io);
      if (!cbowMean) for (let k = 0; k < D; k++) work[k] = work[k]! / count;
      for (let j = from; j < to; j++) {
        if (j === i) continue;
        const row1 = sentence[j]! * D;
        for (let k = 0; k < D; k++) syn0[row1 + k] = syn0[row1 + k]! + work[k]!;
      }
      examples++;
    }
  }
  state.rng[0] = io[0]!;
  return { effectiveWords, examples, loss: io[1]! };
}
