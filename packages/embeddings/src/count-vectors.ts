/**
 * Count vectors (Jurafsky & Martin, "Speech and Language Processing", 3rd ed., ch. 6): a word is
 * the row of counts of where it occurs — in which documents (term-document matrix) or next to
 * which words (co-occurrence matrix) — reweighted by positive pointwise mutual information
 * (Church & Hanks, 1990; Levy, Goldberg & Dagan, 2015 for the smoothed context distribution).
 * `truncatedSvd` (./svd.ts) then makes the rows short and dense.
 *
 * Porting note: rows follow the `Vocabulary` order (descending count, ties by first appearance),
 * not alphabetical order as scikit-learn's `CountVectorizer` has it.
 */
import { ConfigError, checkInt, checkNumber } from '@lmkit/tensor';
import { KeyedVectors } from './keyed-vectors.js';
import { SparseMatrix } from './sparse-matrix.js';
import { truncatedSvd, type TruncatedSvdOptions } from './svd.js';
import { Vocabulary, whitespaceTokens, type VocabularyOptions } from './vocabulary.js';

/** A document or sentence: text (split with `tokenize`) or tokens. */
export type TextOrTokens = string | readonly string[];

export interface CountOptions extends VocabularyOptions {
  /** Splits a text into tokens. Default: at whitespace. */
  readonly tokenize?: (text: string) => string[];
  /** Use this vocabulary (words outside it are skipped) instead of counting one. */
  readonly vocabulary?: Vocabulary;
}

/** Words as rows of a count matrix. */
export interface CountMatrix {
  readonly vocabulary: Vocabulary;
  readonly matrix: SparseMatrix;
}

function tokensOf(texts: readonly TextOrTokens[], tokenize: (text: string) => string[]): (readonly string[])[] {
  return texts.map((t) => (typeof t === 'string' ? tokenize(t) : t));
}

/**
 * The term-document matrix [V, D]: entry (w, d) counts word w in document d (1 with `binary`).
 * @example termDocumentMatrix(['CAT DOG', 'DOG REWARD', 'DOPAMINE REWARD']) // CAT → (1, 0, 0)
 */
export function termDocumentMatrix(documents: readonly TextOrTokens[], options: CountOptions & { readonly binary?: boolean } = {}): CountMatrix {
  const docs = tokensOf(documents, options.tokenize ?? whitespaceTokens);
  const vocabulary = options.vocabulary ?? Vocabulary.build(docs, options);
  const D = docs.length;
  const entries = new Map<number, number>();
  docs.forEach((doc, d) => {
    for (const w of doc) {
      const i = vocabulary.indexOf(w);
      if (i < 0) continue;
      const key = i * D + d;
      entries.set(key, options.binary === true ? 1 : (entries.get(key) ?? 0) + 1);
    }
  });
  return { vocabulary, matrix: SparseMatrix.fromEntries(vocabulary.size, D, entries) };
}

export interface CooccurrenceOptions extends CountOptions {
  /** Context words up to this distance on each side. Default 2. */
  readonly window?: number;
  /** What one co-occurrence at distance d adds: 1 ('uniform') or 1/d ('harmonic', GloVe's). Default 'uniform'. */
  readonly weighting?: 'uniform' | 'harmonic';
}

/**
 * The word-context co-occurrence matrix [V, V]: entry (w, c) sums, over every occurrence of w,
 * the weight of each c within `window` words of it in the same sentence. Symmetric.
 */
export function cooccurrenceMatrix(sentences: readonly TextOrTokens[], options: CooccurrenceOptions = {}): CountMatrix {
  const window = checkInt('cooccurrenceMatrix.window', options.window ?? 2, 1);
  const weighting = options.weighting ?? 'uniform';
  if (weighting !== 'uniform' && weighting !== 'harmonic') throw new ConfigError('cooccurrenceMatrix.weighting', "'uniform' or 'harmonic'", weighting);
  const tokens = tokensOf(sentences, options.tokenize ?? whitespaceTokens);
  const vocabulary = options.vocabulary ?? Vocabulary.build(tokens, options);
  const V = vocabulary.size;
  const entries = new Map<number, number>();
  for (const sentence of tokens) addCooccurrences(entries, vocabulary.encode(sentence), V, window, weighting);
  return { vocabulary, matrix: SparseMatrix.fromEntries(V, V, entries) };
}

/**
 * Adds the co-occurrences of one sentence (vocabulary ids) to `entries`, keyed row·V + column:
 * each pair at distance d ≤ window adds 1 or 1/d to both (a, b) and (b, a).
 */
export function addCooccurrences(entries: Map<number, number>, ids: Int32Array, V: number, window: number, weighting: 'uniform' | 'harmonic'): void {
  for (let i = 0; i < ids.length; i++) {
    for (let d = 1; d <= window && i + d < ids.length; d++) {
      const weight = weighting === 'harmonic' ? 1 / d : 1;
      const [a, b] = [ids[i]!, ids[i + d]!];
      entries.set(a * V + b, (entries.get(a * V + b) ?? 0) + weight);
      entries.set(b * V + a, (entries.get(b * V + a) ?? 0) + weight);
    }
  }
}

export interface PpmiOptions {
  /**
   * Context distribution smoothing: context counts are raised to this power before normalising
   * (Levy et al. recommend 0.75). Default 1, plain PPMI.
   */
  readonly alpha?: number;
}

/**
 * Positive pointwise mutual information of a count matrix [W, C]:
 * max(0, log(P(w, c) / (P(w)·P_α(c)))), P(w, c) = n(w, c)/N, P(w) = n(w)/N, P_α(c) = n(c)^α / Σ n(c')^α.
 */
export function ppmi(counts: SparseMatrix, options: PpmiOptions = {}): SparseMatrix {
  const alpha = checkNumber('ppmi.alpha', options.alpha ?? 1, Number.MIN_VALUE, 1);
  const rowSums = counts.rowSums();
  const colPow = counts.colSums().map((n) => Math.pow(n, alpha));
  const N = rowSums.reduce((a, b) => a + b, 0);
  const Z = colPow.reduce((a, b) => a + b, 0);
  return counts.map((r, c, n) => Math.max(0, Math.log((n / N / ((rowSums[r]! / N) * (colPow[c]! / Z))))));
}

/** The rows of a count matrix as word vectors, unchanged (dense: for small matrices). */
export function rowVectors(count: CountMatrix): KeyedVectors {
  return new KeyedVectors(count.vocabulary.words, Float32Array.from(count.matrix.toDense()), count.matrix.cols);
}

export interface SvdVectorsOptions extends TruncatedSvdOptions {
  /** The vector size k. */
  readonly dim: number;
  /**
   * Word vectors are U·Σ^p: p = 1 is classic LSA; Levy et al. find p = 0.5 or 0 often better.
   * Default 1.
   */
  readonly eigenvalueWeight?: number;
}

/** Dense word vectors [V, dim] from the truncated SVD of a count (or PPMI) matrix. */
export function svdVectors(count: CountMatrix, options: SvdVectorsOptions): KeyedVectors {
  const p = checkNumber('svdVectors.eigenvalueWeight', options.eigenvalueWeight ?? 1, 0, 1);
  const { u, s, k } = truncatedSvd(count.matrix, options.dim, options);
  const scale = s.map((x) => Math.pow(x, p));
  const vectors = Float32Array.from(u, (x, i) => x * scale[i % k]!);
  return new KeyedVectors(count.vocabulary.words, vectors, k);
}
