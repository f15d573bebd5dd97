/**
 * `Vocabulary`: the words of a corpus with their counts, ordered by descending count (ties in
 * order of first appearance, as gensim's stable sort leaves them), after `minCount` and `maxVocab`.
 * Shared by the count vectors, word2vec and GloVe.
 */
import { checkInt } from '@lmkit/tensor';
import { CorpusError, UnknownWordError } from './errors.js';

/** Splits text into tokens at whitespace; the default tokenizer of every corpus reader here. */
export function whitespaceTokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t !== '');
}

export interface VocabularyOptions {
  /** Words seen fewer times are dropped. Default 1. */
  readonly minCount?: number;
  /** Keep at most this many of the most frequent words. Default unlimited. */
  readonly maxVocab?: number;
}

export class Vocabulary {
  readonly words: readonly string[];
  /** counts[i]: occurrences of words[i]. */
  readonly counts: Float64Array;
  /** Occurrences of the kept words. */
  readonly total: number;
  private readonly ids: Map<string, number>;

  constructor(words: readonly string[], counts: ArrayLike<number>) {
    this.words = words;
    this.counts = Float64Array.from(counts);
    this.ids = new Map(words.map((w, i) => [w, i]));
    if (this.ids.size !== words.length) throw new CorpusError('Vocabulary: words must be distinct');
    this.total = this.counts.reduce((a, b) => a + b, 0);
  }

  /** From word counts in order of first appearance; throws a `CorpusError` if nothing is left. */
  static fromCounts(counts: ReadonlyMap<string, number>, options: VocabularyOptions = {}): Vocabulary {
    const minCount = checkInt('minCount', options.minCount ?? 1, 1);
    const maxVocab = options.maxVocab === undefined ? Infinity : checkInt('maxVocab', options.maxVocab, 1);
    if (counts.size === 0) throw new CorpusError('the corpus is empty: no words to count');
    // Array.prototype.sort is stable: ties keep their order of first appearance.
    const kept = [...counts].filter(([, n]) => n >= minCount).sort((a, b) => b[1] - a[1]);
    if (kept.length === 0) {
      let most = 0;
      for (const n of counts.values()) most = Math.max(most, n);
      throw new CorpusError(`minCount ${minCount} removes every word (the most frequent occurs ${most} times)`);
    }
    const top = kept.slice(0, Math.min(kept.length, maxVocab));
    return new Vocabulary(
      top.map(([w]) => w),
      top.map(([, n]) => n),
    );
  }

  /** Counts the words of `sentences` (each a token array). */
  static build(sentences: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
    const counts = new Map<string, number>();
    for (const s of sentences) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
    return Vocabulary.fromCounts(counts, options);
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.ids.has(word);
  }

  /** The word's index, or −1 when it is not in the vocabulary. */
  indexOf(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  /** The word's index; throws an `UnknownWordError` when it is not in the vocabulary. */
  id(word: string): number {
    const i = this.ids.get(word);
    if (i === undefined) throw new UnknownWordError(word);
    return i;
  }

  /** The ids of a sentence's known words, in order (unknown words are skipped). */
  encode(sentence: readonly string[]): Int32Array {
    const out = new Int32Array(sentence.length);
    let n = 0;
    for (const w of sentence) {
      const i = this.ids.get(w);
      if (i !== undefined) out[n++] = i;
    }
    return out.subarray(0, n);
  }
}
