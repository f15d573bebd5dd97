/**
 * GloVe (Pennington, Socher & Manning, 2014, "GloVe: Global Vectors for Word Representation"):
 * word vectors w and context vectors w̃ with biases, fitted by AdaGrad so that
 * wᵢ·w̃ⱼ + bᵢ + b̃ⱼ ≈ log Xᵢⱼ, each co-occurrence weighted by f(X) = min(1, (X/xMax)^alpha).
 * X counts context words within `window`, each weighted 1/distance, symmetrically, as glove.c's
 * `cooccur` does; the returned vectors are w + w̃ (glove.c's default `-model 2`).
 *
 * Porting note: co-occurrences are held in memory (a Map of the non-zero cells), not in glove.c's
 * on-disk shuffled files; each epoch visits them in a fresh random order from the seeded `Rng`.
 * Porting note: training runs on the calling thread (glove.c's `-threads` is not offered).
 */
import { ConfigError, Rng, checkInt, checkNumber } from '@lmkit/tensor';
import { addCooccurrences } from './count-vectors.js';
import { CorpusReader, type Corpus } from './corpus.js';
import { KeyedVectors } from './keyed-vectors.js';
import { SparseMatrix } from './sparse-matrix.js';
import { Vocabulary } from './vocabulary.js';

export interface GloVeFitOptions {
  /** The vector size D. Default 100. */
  readonly vectorSize?: number;
  /** Cells with X ≥ xMax get full weight. Default 100. */
  readonly xMax?: number;
  /** The exponent of the weighting function. Default 0.75. */
  readonly alpha?: number;
  /** AdaGrad's initial learning rate. Default 0.05. */
  readonly learningRate?: number;
  /** Passes over the non-zero cells. Default 25. */
  readonly epochs?: number;
  /** Seeds the initial vectors and the visiting order. Default 1. */
  readonly seed?: number;
  /** Called after every epoch with the mean weighted squared error of that epoch. */
  readonly onEpoch?: (epoch: number, cost: number) => void;
}

export interface GloVeOptions extends GloVeFitOptions {
  /** Context words up to this distance on each side. Default 10. */
  readonly window?: number;
  /** Words seen fewer times are ignored. Default 5. */
  readonly minCount?: number;
  /** Keep at most this many of the most frequent words. Default unlimited. */
  readonly maxVocab?: number;
  /** Splits text sentences into tokens. Default: at whitespace. */
  readonly tokenize?: (text: string) => string[];
}

/** The fitted parameters: w and w̃ row-major [V, D], biases [V]. */
export interface GloVeModel {
  readonly w: Float32Array;
  readonly wContext: Float32Array;
  readonly b: Float32Array;
  readonly bContext: Float32Array;
  readonly dim: number;
}

/** Trains GloVe vectors on `corpus` and returns w + w̃ for every word. */
export async function trainGloVe(corpus: Corpus, options: GloVeOptions = {}): Promise<KeyedVectors> {
  const window = checkInt('trainGloVe.window', options.window ?? 10, 1);
  const reader = new CorpusReader(corpus, options.tokenize);
  const counts = new Map<string, number>();
  for await (const s of reader.sentences()) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
  const vocab = Vocabulary.fromCounts(counts, {
    minCount: checkInt('trainGloVe.minCount', options.minCount ?? 5, 1),
    ...(options.maxVocab === undefined ? {} : { maxVocab: checkInt('trainGloVe.maxVocab', options.maxVocab, 1) }),
  });
  const V = vocab.size;
  const entries = new Map<number, number>();
  for await (const s of reader.sentences()) addCooccurrences(entries, vocab.encode(s), V, window, 'harmonic');
  const model = fitGloVe(SparseMatrix.fromEntries(V, V, entries), options);
  const vectors = model.w.map((x, i) => x + model.wContext[i]!);
  return new KeyedVectors(vocab.words, vectors, model.dim);
}

/** Fits GloVe to a co-occurrence matrix X [V, V] (its non-zero cells) by AdaGrad, as glove.c. */
export function fitGloVe(x: SparseMatrix, options: GloVeFitOptions = {}): GloVeModel {
  const D = checkInt('trainGloVe.vectorSize', options.vectorSize ?? 100, 1);
  const xMax = checkNumber('trainGloVe.xMax', options.xMax ?? 100, Number.MIN_VALUE, Infinity);
  const alpha = checkNumber('trainGloVe.alpha', options.alpha ?? 0.75, 0, Infinity);
  const eta = checkNumber('trainGloVe.learningRate', options.learningRate ?? 0.05, Number.MIN_VALUE, Infinity);
  const epochs = checkInt('trainGloVe.epochs', options.epochs ?? 25, 1);
  if (x.rows !== x.cols) throw new ConfigError('fitGloVe(x)', 'a square co-occurrence matrix', `${x.rows} × ${x.cols}`);
  const V = x.rows;
  const rng = new Rng(options.seed ?? 1);
  // glove.c's init: every parameter U(−0.5, 0.5)/D, squared-gradient sums 1.
  const w = rng.uniformArray(V * D, -0.5 / D, 0.5 / D);
  const wContext = rng.uniformArray(V * D, -0.5 / D, 0.5 / D);
  const b = rng.uniformArray(V, -0.5 / D, 0.5 / D);
  const bContext = rng.uniformArray(V, -0.5 / D, 0.5 / D);
  const gw = new Float32Array(V * D).fill(1);
  const gwContext = new Float32Array(V * D).fill(1);
  const gb = new Float32Array(V).fill(1);
  const gbContext = new Float32Array(V).fill(1);
  const rows = new Int32Array(x.nnz);
  for (let r = 0; r < V; r++) rows.fill(r, x.indptr[r]!, x.indptr[r + 1]!);
  const order = Array.from({ length: x.nnz }, (_, n) => n);
  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    let cost = 0;
    for (const n of order) {
      const count = x.values[n]!;
      const i = rows[n]! * D;
      const j = x.indices[n]! * D;
      let diff = b[rows[n]!]! + bContext[x.indices[n]!]! - Math.log(count);
      for (let k = 0; k < D; k++) diff += w[i + k]! * wContext[j + k]!;
      const weight = count > xMax ? 1 : Math.pow(count / xMax, alpha);
      cost += 0.5 * weight * diff * diff;
      const step = eta * weight * diff;
      for (let k = 0; k < D; k++) {
        const g1 = step * wContext[j + k]!;
        const g2 = step * w[i + k]!;
        w[i + k] = w[i + k]! - g1 / Math.sqrt(gw[i + k]!);
        wContext[j + k] = wContext[j + k]! - g2 / Math.sqrt(gwContext[j + k]!);
        gw[i + k] = gw[i + k]! + g1 * g1;
        gwContext[j + k] = gwContext[j + k]! + g2 * g2;
      }
      const [bi, bj] = [rows[n]!, x.indices[n]!];
      b[bi] = b[bi]! - step / Math.sqrt(gb[bi]!);
      bContext[bj] = bContext[bj]! - step / Math.sqrt(gbContext[bj]!);
      gb[bi] = gb[bi]! + step * step;
      gbContext[bj] = gbContext[bj]! + step * step;
    }
    options.onEpoch?.(epoch, cost / Math.max(x.nnz, 1));
  }
  return { w, wContext, b, bContext, dim: D };
}
