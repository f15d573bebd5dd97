/**
 * The word2vec training loop over plain Float32Arrays (Mikolov et al., 2013, "Distributed
 * Representations of Words and Phrases and their Compositionality"), following word2vec.c and
 * gensim's `word2vec_inner.pyx`: skip-gram and CBOW with negative sampling, frequent-word
 * subsampling and window shrinking, one batch of sentences per call. No tensors: per-word tensor
 * ops would cost more than the arithmetic.
 *
 * Porting note: a saturated score (|f| ≥ 6) updates nothing, as in gensim (word2vec.c still applies
 * the clipped sigmoid's gradient); its loss is still counted.
 * Porting note: the hidden vector (skip-gram: a copy of the context word's row; CBOW: the context
 * sum or mean) and its gradient step are held in Float64Array scratch, and dot products are
 * summed in four interleaved double partial sums (gensim: float32 BLAS sdot/saxpy), so the last
 * bits differ from a float32 loop. The loops over D are unrolled by 4 by hand (V8 does not
 * unroll), which roughly doubles training speed (apps/bench, suite embeddings).
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
  const syn0 = state.syn0;
  const syn1neg = state.syn1neg;
  const keep = state.keep;
  const aliasProb = state.aliasProb;
  const aliasOf = state.aliasOf;
  const D = state.dim | 0;
  const window = state.window | 0;
  const negative = state.negative | 0;
  const skipGram = state.skipGram;
  const cbowMean = state.cbowMean;
  const V = aliasProb.length;
  const work = new Float64Array(D); // the gradient step for the hidden vector [D]
  const neu1 = new Float64Array(D); // the hidden vector: skip-gram's context word, CBOW's mean [D]
  const MAX_EXP = 6;
  const TABLE = 1000;
  const SCALE = TABLE / MAX_EXP / 2;
  // σ(x) and log σ(x) at TABLE points of [−6, 6), as word2vec.c's expTable.
  const SIGMOID = new Float64Array(TABLE);
  const LOG_SIGMOID = new Float64Array(TABLE);
  for (let i = 0; i < TABLE; i++) {
    SIGMOID[i] = 1 / (1 + Math.exp(-((2 * i) / TABLE - 1) * MAX_EXP));
    LOG_SIGMOID[i] = Math.log(SIGMOID[i]!);
  }
  const U = 1 / 4294967296; // 2⁻³²: a uint32 times U is uniform in [0, 1)

  /** dst[d0 … d0+D−1] += src[0 … D−1], unrolled by 4. */
  function addTo(dst: Float32Array, d0: number, src: Float64Array, D: number): void {
    const D4 = D & ~3;
    let k = 0;
    for (; k < D4; k += 4) {
      dst[d0 + k] = dst[d0 + k]! + src[k]!;
      dst[d0 + k + 1] = dst[d0 + k + 1]! + src[k + 1]!;
      dst[d0 + k + 2] = dst[d0 + k + 2]! + src[k + 2]!;
      dst[d0 + k + 3] = dst[d0 + k + 3]! + src[k + 3]!;
    }
    for (; k < D; k++) dst[d0 + k] = dst[d0 + k]! + src[k]!;
  }

  /** dst[0 … D−1] = a·dst + src[s0 … s0+D−1] (a = 0 copies the row), unrolled by 4. */
  function accumulate(dst: Float64Array, a: number, src: Float32Array, s0: number, D: number): void {
    const D4 = D & ~3;
    let k = 0;
    for (; k < D4; k += 4) {
      dst[k] = a * dst[k]! + src[s0 + k]!;
      dst[k + 1] = a * dst[k + 1]! + src[s0 + k + 1]!;
      dst[k + 2] = a * dst[k + 2]! + src[s0 + k + 2]!;
      dst[k + 3] = a * dst[k + 3]! + src[s0 + k + 3]!;
    }
    for (; k < D; k++) dst[k] = a * dst[k]! + src[s0 + k]!;
  }

  /** One xorshift32 step of the state x (an int32, never 0). */
  function next(x: number): number {
    x ^= x << 13;
    x ^= x >>> 17;
    return x ^ (x << 5);
  }

  /**
   * One positive and `negative` noise predictions for the hidden vector hs [D]: updates syn1 and
   * puts the hidden vector's step in `work` [D]. Takes its arrays as arguments (it closes over
   * constants only), so it stays monomorphic; returns the loss, and leaves the generator state
   * after its draws in out[0].
   */
  function negativeSampling(
    hs: Float64Array, word: number, rng: number, out: Int32Array, g0: number,
    syn1: Float32Array, work: Float64Array, aliasProb: Float32Array, aliasOf: Int32Array,
    sigmoid: Float64Array, logSigmoid: Float64Array, D: number, V: number, negative: number,
  ): number {
    const D4 = D & ~3;
    for (let k = 0; k < D; k++) work[k] = 0;
    let loss = 0;
    for (let d = 0; d <= negative; d++) {
      let target = word;
      let label = 1;
      if (d > 0) {
        rng = next(rng);
        const col = Math.floor((rng >>> 0) * U * V);
        rng = next(rng);
        target = (rng >>> 0) * U < aliasProb[col]! ? col : aliasOf[col]!;
        if (target === word) continue;
        label = 0;
      }
      const row2 = target * D;
      let f0 = 0;
      let f1 = 0;
      let f2 = 0;
      let f3 = 0;
      let k = 0;
      for (; k < D4; k += 4) {
        f0 += hs[k]! * syn1[row2 + k]!;
        f1 += hs[k + 1]! * syn1[row2 + k + 1]!;
        f2 += hs[k + 2]! * syn1[row2 + k + 2]!;
        f3 += hs[k + 3]! * syn1[row2 + k + 3]!;
      }
      for (; k < D; k++) f0 += hs[k]! * syn1[row2 + k]!;
      const f = f0 + f1 + (f2 + f3);
      // Like gensim, a saturated score updates nothing.
      if (f >= MAX_EXP) {
        if (label === 0) loss += f;
        continue;
      }
      if (f <= -MAX_EXP) {
        if (label === 1) loss -= f;
        continue;
      }
      const idx = ((f + MAX_EXP) * SCALE) | 0;
      const g = (label - sigmoid[idx]!) * g0;
      loss -= label === 1 ? logSigmoid[idx]! : logSigmoid[TABLE - 1 - idx]!;
      for (k = 0; k < D4; k += 4) {
        const o0 = syn1[row2 + k]!;
        const o1 = syn1[row2 + k + 1]!;
        const o2 = syn1[row2 + k + 2]!;
        const o3 = syn1[row2 + k + 3]!;
        work[k] = work[k]! + g * o0;
        work[k + 1] = work[k + 1]! + g * o1;
        work[k + 2] = work[k + 2]! + g * o2;
        work[k + 3] = work[k + 3]! + g * o3;
        syn1[row2 + k] = o0 + g * hs[k]!;
        syn1[row2 + k + 1] = o1 + g * hs[k + 1]!;
        syn1[row2 + k + 2] = o2 + g * hs[k + 2]!;
        syn1[row2 + k + 3] = o3 + g * hs[k + 3]!;
      }
      for (; k < D; k++) {
        const o = syn1[row2 + k]!;
        work[k] = work[k]! + g * o;
        syn1[row2 + k] = o + g * hs[k]!;
      }
    }
    out[0] = rng;
    return loss;
  }

  const sentence = new Int32Array(ids.length);
  const out = new Int32Array(1);
  let rng = state.rng[0]! | 0;
  let loss = 0;
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
      if (p < 1) {
        rng = next(rng);
        if ((rng >>> 0) * U >= p) continue;
      }
      sentence[n++] = w;
    }
    start = end;
    effectiveWords += n;
    for (let i = 0; i < n; i++) {
      // Window shrinking: a window of window − b words on each side, b uniform in [0, window).
      rng = next(rng);
      const b = Math.floor((rng >>> 0) * U * window);
      const from = Math.max(0, i - window + b);
      const to = Math.min(n, i + window + 1 - b);
      const word = sentence[i]!;
      if (skipGram) {
        // gensim's order: the context word's vector predicts the center word.
        for (let j = from; j < to; j++) {
          if (j === i) continue;
          const row1 = sentence[j]! * D;
          accumulate(neu1, 0, syn0, row1, D);
          loss += negativeSampling(neu1, word, rng, out, alpha, syn1neg, work, aliasProb, aliasOf, SIGMOID, LOG_SIGMOID, D, V, negative);
          rng = out[0]!;
          addTo(syn0, row1, work, D);
          examples++;
        }
        continue;
      }
      let count = 0;
      for (let j = from; j < to; j++) {
        if (j === i) continue;
        accumulate(neu1, count === 0 ? 0 : 1, syn0, sentence[j]! * D, D);
        count++;
      }
      if (count === 0) continue;
      if (cbowMean) for (let k = 0; k < D; k++) neu1[k] = neu1[k]! / count;
      loss += negativeSampling(neu1, word, rng, out, alpha, syn1neg, work, aliasProb, aliasOf, SIGMOID, LOG_SIGMOID, D, V, negative);
      rng = out[0]!;
      if (!cbowMean) for (let k = 0; k < D; k++) work[k] = work[k]! / count;
      for (let j = from; j < to; j++) {
        if (j === i) continue;
        addTo(syn0, sentence[j]! * D, work, D);
      }
      examples++;
    }
  }
  state.rng[0] = rng >>> 0;
  return { effectiveWords, examples, loss };
}
