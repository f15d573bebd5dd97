/**
 * `KeyedVectors`: words and their vectors, with the queries of gensim's `KeyedVectors` — cosine
 * similarity, nearest neighbours, analogies by 3CosAdd (Mikolov et al., 2013) and 3CosMul (Levy &
 * Goldberg, 2014, "Linguistic Regularities in Sparse and Explicit Word Representations"), the odd
 * one out — plus a 2-D PCA projection for plots, the word2vec file formats, and `toEmbedding()`.
 *
 * Porting note: an unknown word in a query throws an `UnknownWordError`; gensim raises KeyError,
 * except in `doesnt_match`, which skips unknown words.
 */
import { ConfigError, Rng, checkInt, tf } from '@lmkit/tensor';
import { Embedding, type EmbeddingOptions } from './embedding.js';
import { UnknownWordError } from './errors.js';
import { DenseMatrix } from './sparse-matrix.js';
import { truncatedSvd } from './svd.js';
import { readWord2VecFormat, writeWord2VecFormat, type Word2VecFormatOptions, type WordVectors } from './word2vec-format.js';

/** A word and its score (cosine similarity, or the 3CosMul objective). */
export type ScoredWord = readonly [word: string, score: number];

export interface AnalogyOptions {
  /** '3CosAdd' ranks by cos(x, b − a + c); '3CosMul' by cos'(x, b)·cos'(x, c) / (cos'(x, a) + 1e-6), cos' = (1 + cos)/2. Default '3CosAdd'. */
  readonly method?: '3CosAdd' | '3CosMul';
  /** How many answers. Default 1. */
  readonly topn?: number;
}

/** A word placed on the plane of the first two principal components. */
export interface ProjectedWord {
  readonly word: string;
  readonly x: number;
  readonly y: number;
}

export class KeyedVectors implements WordVectors {
  readonly words: readonly string[];
  /** Row-major [V, dim]. */
  readonly vectors: Float32Array;
  readonly dim: number;
  private readonly ids: Map<string, number>;
  private unitCache: Float32Array | null = null;

  constructor(words: readonly string[], vectors: Float32Array, dim: number) {
    this.dim = checkInt('KeyedVectors.dim', dim, 1);
    if (vectors.length !== words.length * dim) {
      throw new ConfigError('KeyedVectors.vectors', `${words.length}·${dim} = ${words.length * dim} values`, `${vectors.length} values`);
    }
    this.words = words;
    this.vectors = vectors;
    this.ids = new Map(words.map((w, i) => [w, i]));
    if (this.ids.size !== words.length) throw new ConfigError('KeyedVectors.words', 'distinct words', `${words.length - this.ids.size} repeated`);
  }

  /** Vectors from word2vec text or binary data, as gensim writes them. */
  static fromWord2VecFormat(data: Uint8Array | string, options: Word2VecFormatOptions = {}): KeyedVectors {
    const { words, vectors, dim } = readWord2VecFormat(data, options);
    return new KeyedVectors(words, vectors, dim);
  }

  /** word2vec text or binary bytes, as gensim's `load_word2vec_format` reads them. */
  toWord2VecFormat(options: Word2VecFormatOptions = {}): Uint8Array {
    return writeWord2VecFormat(this, options);
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.ids.has(word);
  }

  /** The word's row; throws an `UnknownWordError` when it has none. */
  indexOf(word: string): number {
    const i = this.ids.get(word);
    if (i === undefined) throw new UnknownWordError(word);
    return i;
  }

  /** The word's vector (a view into `vectors`: do not write to it). */
  vector(word: string): Float32Array {
    const i = this.indexOf(word);
    return this.vectors.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Cosine similarity of two words. */
  similarity(a: string, b: string): number {
    return dot(this.unitRow(this.indexOf(a)), this.unitRow(this.indexOf(b)));
  }

  /**
   * The `topn` words closest (by cosine) to the mean of the unit vectors of `positive` minus those
   * of `negative`, the query words excluded — gensim's `most_similar`.
   * @example kv.mostSimilar(['king', 'woman'], ['man'], 1) // [['queen', 0.7…]]
   */
  mostSimilar(positive: string | readonly string[], negative: readonly string[] = [], topn = 10): ScoredWord[] {
    const pos = typeof positive === 'string' ? [positive] : positive;
    const terms = [...pos.map((w) => [this.indexOf(w), 1] as const), ...negative.map((w) => [this.indexOf(w), -1] as const)];
    if (terms.length === 0) throw new ConfigError('mostSimilar(positive)', 'at least one word', positive);
    const mean = new Float64Array(this.dim);
    for (const [i, weight] of terms) axpy(weight / terms.length, this.unitRow(i), mean);
    const scores = this.unitScores(normalize(mean));
    return this.top(scores, topn, new Set(terms.map(([i]) => i)));
  }

  /** Words ranked by the 3CosMul objective — gensim's `most_similar_cosmul`. */
  mostSimilarCosMul(positive: string | readonly string[], negative: readonly string[] = [], topn = 10): ScoredWord[] {
    const pos = (typeof positive === 'string' ? [positive] : positive).map((w) => this.indexOf(w));
    const neg = negative.map((w) => this.indexOf(w));
    if (pos.length === 0) throw new ConfigError('mostSimilarCosMul(positive)', 'at least one word', positive);
    const shifted = (i: number) => this.unitScores(Float64Array.from(this.unitRow(i))).map((c) => (1 + c) / 2);
    const num = new Float64Array(this.size).fill(1);
    const den = new Float64Array(this.size).fill(1);
    for (const i of pos) shifted(i).forEach((c, w) => (num[w] = num[w]! * c));
    for (const i of neg) shifted(i).forEach((c, w) => (den[w] = den[w]! * c));
    const scores = num.map((n, w) => n / (den[w]! + 1e-6));
    return this.top(scores, topn, new Set([...pos, ...neg]));
  }

  /** a is to b as c is to …: the best `topn` answers (a, b and c excluded). */
  analogy(a: string, b: string, c: string, options: AnalogyOptions = {}): ScoredWord[] {
    const { method = '3CosAdd', topn = 1 } = options;
    if (method === '3CosAdd') return this.mostSimilar([b, c], [a], topn);
    if (method === '3CosMul') return this.mostSimilarCosMul([b, c], [a], topn);
    throw new ConfigError('analogy(method)', "'3CosAdd' or '3CosMul'", method);
  }

  /** The word farthest from the mean of the others' unit vectors — gensim's `doesnt_match`. */
  doesntMatch(words: readonly string[]): string {
    if (words.length === 0) throw new ConfigError('doesntMatch(words)', 'at least one word', words);
    const rows = words.map((w) => this.unitRow(this.indexOf(w)));
    const mean = new Float64Array(this.dim);
    for (const r of rows) axpy(1 / rows.length, r, mean);
    normalize(mean);
    let worst = 0;
    rows.forEach((r, i) => {
      if (dot(r, mean) < dot(rows[worst]!, mean)) worst = i;
    });
    return words[worst]!;
  }

  /** The `topn` words closest by cosine to `vector` [dim] — gensim's `similar_by_vector`. */
  nearest(vector: ArrayLike<number>, topn = 10): ScoredWord[] {
    if (vector.length !== this.dim) throw new ConfigError('nearest(vector)', `${this.dim} values`, `${vector.length} values`);
    return this.top(this.unitScores(normalize(Float64Array.from(vector))), topn, new Set());
  }

  /**
   * The words (default all) on the plane of their first two principal components: the centred
   * vectors' two leading singular directions, scaled by the singular values (PCA scores).
   */
  project2d(words: readonly string[] = this.words, rng: Rng = new Rng(0)): ProjectedWord[] {
    const rows = words.map((w) => this.indexOf(w));
    const n = rows.length;
    const D = this.dim;
    if (n < 2 || D < 2) throw new ConfigError('project2d(words)', 'at least 2 words of at least 2 dimensions', `${n} words of ${D}`);
    const centred = new Float64Array(n * D);
    const mean = new Float64Array(D);
    rows.forEach((i) => axpy(1 / n, this.vectors.subarray(i * D, (i + 1) * D), mean));
    rows.forEach((i, r) => {
      for (let j = 0; j < D; j++) centred[r * D + j] = this.vectors[i * D + j]! - mean[j]!;
    });
    const { u, s } = truncatedSvd(new DenseMatrix(n, D, centred), 2, { rng, powerIterations: 8 });
    return rows.map((_, r) => ({ word: words[r]!, x: u[r * 2]! * s[0]!, y: u[r * 2 + 1]! * s[1]! }));
  }

  /** An `Embedding` whose weight [V, dim] holds these vectors (row i = words[i]). */
  toEmbedding(options: Omit<EmbeddingOptions, 'rng'> = {}): Embedding {
    const embedding = new Embedding(this.size, this.dim, options);
    const weight = tf.tensor(this.vectors, [this.size, this.dim], 'float32');
    embedding.loadStateDict({ weight });
    weight.dispose();
    return embedding;
  }

  /** Row i divided by its norm (a zero row stays zero). */
  private unitRow(i: number): Float32Array {
    return this.unit().subarray(i * this.dim, (i + 1) * this.dim);
  }

  private unit(): Float32Array {
    if (this.unitCache === null) {
      const D = this.dim;
      const out = new Float32Array(this.vectors.length);
      for (let i = 0; i < this.size; i++) {
        const row = this.vectors.subarray(i * D, (i + 1) * D);
        const norm = Math.sqrt(dot(row, row));
        if (norm > 0) for (let j = 0; j < D; j++) out[i * D + j] = row[j]! / norm;
      }
      this.unitCache = out;
    }
    return this.unitCache;
  }

  /** Cosine of every word with the unit vector `q`. */
  private unitScores(q: Float64Array): Float64Array {
    const unit = this.unit();
    const D = this.dim;
    const out = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      let sum = 0;
      for (let j = 0, o = i * D; j < D; j++) sum += unit[o + j]! * q[j]!;
      out[i] = sum;
    }
    return out;
  }

  private top(scores: Float64Array, topn: number, exclude: ReadonlySet<number>): ScoredWord[] {
    checkInt('topn', topn, 1);
    const order = Array.from(scores.keys()).filter((i) => !exclude.has(i));
    order.sort((i, j) => scores[j]! - scores[i]! || i - j);
    return order.slice(0, topn).map((i) => [this.words[i]!, scores[i]!] as const);
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** y += alpha·x. */
function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = y[i]! + alpha * x[i]!;
}

/** Scales `v` to unit length in place (a zero vector stays zero) and returns it. */
function normalize(v: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(v, v));
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}
