/**
 * `trainWord2Vec`: word vectors by word2vec (Mikolov et al., 2013, "Efficient Estimation of Word
 * Representations in Vector Space" and "Distributed Representations of Words and Phrases and their
 * Compositionality"), with gensim's `Word2Vec` options and defaults: skip-gram or CBOW, negative
 * sampling from unigram^0.75, frequent-word subsampling, window shrinking, linear learning-rate
 * decay from `alpha` to `minAlpha` over all epochs. The loop itself is C compiled to WebAssembly
 * SIMD (../wasm/word2vec.c, driven by ./word2vec-kernel.ts).
 *
 * Porting note: hierarchical softmax is not offered (negative sampling only, gensim's default).
 * Porting note: vectors start U(−0.5/D, 0.5/D) from the seeded `Rng`, not gensim's per-word hash
 * seeds; the output weights start at zero as in both originals.
 * Porting note: `threads > 1` trains on Node worker threads or browser Web Workers sharing the
 * vectors lock-free (./word2vec-threads.ts); results then vary from run to run, as in gensim.
 * `threads: 1` trains on the calling thread and is deterministic for a seed.
 */
import { ConfigError, Rng, checkInt, checkNumber } from '@lmkit/tensor';
import { CorpusReader, MAX_SENTENCE_TOKENS, type Corpus } from './corpus.js';
import { KeyedVectors } from './keyed-vectors.js';
import { Vocabulary } from './vocabulary.js';
import { Word2VecKernel, type KernelConfig } from './word2vec-kernel.js';
import { Word2VecWorkers, checkThreads } from './word2vec-threads.js';

/** Progress of a training run, reported about every `progressInterval` milliseconds and at each epoch's end. */
export interface Word2VecProgress {
  /** The current epoch, from 0. */
  readonly epoch: number;
  /** The fraction of all epochs done, in [0, 1]. */
  readonly progress: number;
  /** The learning rate now. */
  readonly alpha: number;
  /** Words trained on (after subsampling) per second since the last report. */
  readonly wordsPerSecond: number;
  /** Mean negative-sampling loss per example since the last report. */
  readonly loss: number;
  /** Words trained on so far. */
  readonly effectiveWords: number;
}

export interface Word2VecOptions {
  /** 'skipgram' predicts the context from the word, 'cbow' the word from its context. Default 'cbow' (gensim's). */
  readonly model?: 'skipgram' | 'cbow';
  /** The vector size D. Default 100. */
  readonly vectorSize?: number;
  /** The largest distance between a word and its context (each side). Default 5. */
  readonly window?: number;
  /** Words seen fewer times are ignored. Default 5. */
  readonly minCount?: number;
  /** Keep at most this many of the most frequent words. Default unlimited. */
  readonly maxVocab?: number;
  /** Subsampling threshold: words more frequent than this are randomly dropped; 0 turns it off. Default 1e-3. */
  readonly sample?: number;
  /** Noise words per example. Default 5. */
  readonly negative?: number;
  /** The exponent of the noise distribution, counts^ns_exponent. Default 0.75. */
  readonly nsExponent?: number;
  /** CBOW averages the context vectors (true) or sums them (false). Default true. */
  readonly cbowMean?: boolean;
  /** The initial learning rate. Default 0.025. */
  readonly alpha?: number;
  /** The final learning rate, reached linearly. Default 0.0001. */
  readonly minAlpha?: number;
  /** Passes over the corpus. Default 5. */
  readonly epochs?: number;
  /** Seeds initialisation, subsampling, windows and negative sampling. Default 1 (gensim's). */
  readonly seed?: number;
  /**
   * Worker threads (Node) or Web Workers (a cross-origin isolated page) sharing the vectors; 1 trains
   * on the calling thread. Default 1.
   */
  readonly threads?: number;
  /** Splits text sentences into tokens. Default: at whitespace. */
  readonly tokenize?: (text: string) => string[];
  /** Called with training progress. */
  readonly onProgress?: (progress: Word2VecProgress) => void;
  /** Milliseconds between progress reports. Default 1000. */
  readonly progressInterval?: number;
}

/** Words per training batch, and between learning-rate updates (gensim's MAX_WORDS_IN_BATCH). */
const BATCH_WORDS = 10000;

/**
 * Trains word vectors on `corpus` and returns them.
 * @example const kv = await trainWord2Vec(text, { model: 'skipgram', vectorSize: 50, epochs: 10 }); kv.mostSimilar('whale')
 */
export async function trainWord2Vec(corpus: Corpus, options: Word2VecOptions = {}): Promise<KeyedVectors> {
  const o = resolveOptions(options);
  const reader = new CorpusReader(corpus, options.tokenize);
  const counts = new Map<string, number>();
  for await (const s of reader.sentences()) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
  const vocab = Vocabulary.fromCounts(counts, { minCount: o.minCount, ...(o.maxVocab === undefined ? {} : { maxVocab: o.maxVocab }) });
  const kernel = await Word2VecKernel.create(kernelConfig(vocab, o, new Rng(o.seed)));
  const workers = o.threads === 1 ? null : await Word2VecWorkers.start(kernel);
  try {
    const batches = reader.inMemory ? await cachedBatches(reader, vocab) : null;
    const totalWords = vocab.total * o.epochs;
    const rate = (done: number) => o.alpha - (o.alpha - o.minAlpha) * (done / totalWords);
    const report = new ProgressReporter(o.onProgress, o.progressInterval);
    let done = 0;
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const inFlight = new Set<Promise<void>>();
      for await (const { ids, ends } of batches ?? streamBatches(reader, vocab)) {
        const alpha = rate(done);
        done += ids.length;
        const at = { epoch, progress: done / totalWords, alpha };
        if (workers === null) {
          report.add(kernel.trainBatch(ids, ends, alpha), at);
          continue;
        }
        const job: Promise<void> = workers.run(ids, ends, alpha).then((result) => {
          inFlight.delete(job);
          report.add(result, at);
        });
        inFlight.add(job);
        if (workers.available === 0) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      report.flush(epoch, done / totalWords, rate(done));
    }
    return new KeyedVectors(vocab.words, kernel.vectors(), o.vectorSize);
  } finally {
    await workers?.close();
  }
}

type Resolved = Required<Omit<Word2VecOptions, 'maxVocab' | 'tokenize' | 'onProgress'>> & Pick<Word2VecOptions, 'maxVocab' | 'onProgress'>;

function resolveOptions(options: Word2VecOptions): Resolved {
  const model = options.model ?? 'cbow';
  if (model !== 'skipgram' && model !== 'cbow') throw new ConfigError('trainWord2Vec.model', "'skipgram' or 'cbow'", model);
  const alpha = checkNumber('trainWord2Vec.alpha', options.alpha ?? 0.025, Number.MIN_VALUE, Infinity);
  const threads = checkInt('trainWord2Vec.threads', options.threads ?? 1, 1, 256);
  checkThreads('trainWord2Vec.threads', threads);
  return {
    model,
    vectorSize: checkInt('trainWord2Vec.vectorSize', options.vectorSize ?? 100, 1),
    window: checkInt('trainWord2Vec.window', options.window ?? 5, 1),
    minCount: checkInt('trainWord2Vec.minCount', options.minCount ?? 5, 1),
    maxVocab: options.maxVocab === undefined ? undefined : checkInt('trainWord2Vec.maxVocab', options.maxVocab, 1),
    sample: checkNumber('trainWord2Vec.sample', options.sample ?? 1e-3, 0, 1),
    negative: checkInt('trainWord2Vec.negative', options.negative ?? 5, 1),
    nsExponent: checkNumber('trainWord2Vec.nsExponent', options.nsExponent ?? 0.75, -Infinity, Infinity),
    cbowMean: options.cbowMean ?? true,
    alpha,
    minAlpha: checkNumber('trainWord2Vec.minAlpha', options.minAlpha ?? 0.0001, 0, alpha),
    epochs: checkInt('trainWord2Vec.epochs', options.epochs ?? 5, 1),
    seed: checkInt('trainWord2Vec.seed', options.seed ?? 1, -(2 ** 31), 2 ** 32 - 1),
    threads,
    onProgress: options.onProgress,
    progressInterval: checkNumber('trainWord2Vec.progressInterval', options.progressInterval ?? 1000, 0, Infinity),
  };
}

function kernelConfig(vocab: Vocabulary, o: Resolved, rng: Rng): KernelConfig {
  const D = o.vectorSize;
  const syn0 = rng.uniformArray(vocab.size * D, -0.5 / D, 0.5 / D);
  const { prob, alias } = aliasTable(Array.from(vocab.counts, (c) => Math.pow(c, o.nsExponent)));
  return {
    syn0,
    dim: D,
    skipGram: o.model === 'skipgram',
    cbowMean: o.cbowMean,
    window: o.window,
    negative: o.negative,
    keep: keepProbabilities(vocab, o.sample),
    aliasProb: prob,
    aliasOf: alias,
    seeds: Array.from({ length: o.threads }, () => rng.nextUint32()),
    batchCapacity: BATCH_WORDS + MAX_SENTENCE_TOKENS,
    maxSentence: MAX_SENTENCE_TOKENS,
    shared: o.threads > 1,
  };
}

/**
 * word2vec.c's subsampling: keep a word of count c with probability (√(c/t) + 1)·t/c,
 * t = sample·total (capped at 1); sample = 0 keeps every word.
 */
export function keepProbabilities(vocab: Vocabulary, sample: number): Float32Array {
  const t = sample * vocab.total;
  return Float32Array.from(vocab.counts, (c) => (sample === 0 ? 1 : Math.min(1, (Math.sqrt(c / t) + 1) * (t / c))));
}

/** Walker's alias table for sampling index i with probability weights[i] / Σ weights (Vose's construction). */
export function aliasTable(weights: readonly number[]): { prob: Float32Array; alias: Int32Array } {
  const n = weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const scaled = weights.map((w) => (w * n) / sum);
  const prob = new Float32Array(n);
  const alias = new Int32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) {
    prob[i] = 1;
    alias[i] = i;
  }
  return { prob, alias };
}

interface Batch {
  readonly ids: Int32Array;
  /** Exclusive end of each sentence in `ids`. */
  readonly ends: Int32Array;
}

/** Packs encoded sentences into batches of about `BATCH_WORDS` words (fewer than `BATCH_WORDS + MAX_SENTENCE_TOKENS`). */
async function* batchesOf(sentences: AsyncIterable<Int32Array>): AsyncGenerator<Batch> {
  let ids: number[] = [];
  let ends: number[] = [];
  for await (const s of sentences) {
    if (s.length === 0) continue;
    for (const id of s) ids.push(id);
    ends.push(ids.length);
    if (ids.length >= BATCH_WORDS) {
      yield { ids: Int32Array.from(ids), ends: Int32Array.from(ends) };
      ids = [];
      ends = [];
    }
  }
  if (ids.length > 0) yield { ids: Int32Array.from(ids), ends: Int32Array.from(ends) };
}

async function* encoded(reader: CorpusReader, vocab: Vocabulary): AsyncGenerator<Int32Array> {
  for await (const s of reader.sentences()) yield vocab.encode(s);
}

function streamBatches(reader: CorpusReader, vocab: Vocabulary): AsyncGenerator<Batch> {
  return batchesOf(encoded(reader, vocab));
}

/** An in-memory corpus, encoded once: every epoch reuses the batches. */
async function cachedBatches(reader: CorpusReader, vocab: Vocabulary): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of streamBatches(reader, vocab)) out.push(b);
  return out;
}

/** Aggregates batch results into progress reports. */
class ProgressReporter {
  private last = Date.now();
  private words = 0;
  private examples = 0;
  private loss = 0;
  private total = 0;

  constructor(
    private readonly onProgress: ((p: Word2VecProgress) => void) | undefined,
    private readonly interval: number,
  ) {}

  add(result: { effectiveWords: number; examples: number; loss: number }, at: { epoch: number; progress: number; alpha: number }): void {
    this.words += result.effectiveWords;
    this.examples += result.examples;
    this.loss += result.loss;
    this.total += result.effectiveWords;
    if (Date.now() - this.last >= this.interval) this.flush(at.epoch, at.progress, at.alpha);
  }

  flush(epoch: number, progress: number, alpha: number): void {
    const now = Date.now();
    if (this.onProgress !== undefined && this.words > 0) {
      const seconds = Math.max(now - this.last, 1) / 1000;
      this.onProgress({
        epoch,
        progress: Math.min(progress, 1),
        alpha,
        wordsPerSecond: this.words / seconds,
        loss: this.examples > 0 ? this.loss / this.examples : 0,
        effectiveWords: this.total,
      });
    }
    this.last = now;
    this.words = 0;
    this.examples = 0;
    this.loss = 0;
  }
}
