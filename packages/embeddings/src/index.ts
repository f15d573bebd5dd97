/**
 * @lmkit/embeddings — words as vectors: the `Embedding` layer and its tied output projection,
 * positional encodings, count vectors, word2vec, GloVe and `KeyedVectors`.
 */
export { TokenIdError, UnknownWordError, CorpusError, FormatError } from './errors.js';
export { Embedding, TiedOutputProjection } from './embedding.js';
export type { EmbeddingOptions, NestedIds, TiedOutputProjectionOptions } from './embedding.js';
export { SinusoidalPositionalEncoding, sinusoidalTable } from './sinusoidal.js';
export type { SinusoidalOptions, SinusoidalPositionalEncodingConfig } from './sinusoidal.js';
export { LearnedPositionalEmbedding } from './learned-positional.js';
export type { LearnedPositionalEmbeddingConfig } from './learned-positional.js';
export { RotaryEmbedding } from './rotary.js';
export type { RotaryEmbeddingConfig } from './rotary.js';
export { AxialPositionalEncoding } from './axial.js';
export type { AxialPositionalEncodingConfig } from './axial.js';
export { Vocabulary, whitespaceTokens } from './vocabulary.js';
export type { VocabularyOptions } from './vocabulary.js';
export { SparseMatrix, DenseMatrix } from './sparse-matrix.js';
export type { MatrixOperator } from './sparse-matrix.js';
export { termDocumentMatrix, cooccurrenceMatrix, ppmi, rowVectors, svdVectors } from './count-vectors.js';
export type { TextOrTokens, CountOptions, CountMatrix, CooccurrenceOptions, PpmiOptions, SvdVectorsOptions } from './count-vectors.js';
export { truncatedSvd } from './svd.js';
export type { TruncatedSvdOptions, TruncatedSvd } from './svd.js';
export { KeyedVectors } from './keyed-vectors.js';
export type { ScoredWord, AnalogyOptions, ProjectedWord } from './keyed-vectors.js';
export { readWord2VecFormat, writeWord2VecFormat } from './word2vec-format.js';
export type { WordVectors, Word2VecFormatOptions } from './word2vec-format.js';
export type { Corpus, Sentence } from './corpus.js';
export { trainWord2Vec } from './word2vec.js';
export type { Word2VecOptions, Word2VecProgress } from './word2vec.js';
export { trainGloVe, fitGloVe } from './glove.js';
export type { GloVeOptions, GloVeFitOptions, GloVeModel } from './glove.js';
