/**
 * Training corpora for word2vec and GloVe: a string (one sentence per line), an iterable of
 * sentences, an async iterable (a file read as a stream: it never has to sit in memory whole), or
 * a function returning a fresh one. A sentence is text (split at whitespace, or by `tokenize`) or
 * an array of tokens. Trainers read the corpus once to count words and again for every epoch, so
 * a stream must be readable more than once: pass a function that opens it anew.
 */
import { CorpusError } from './errors.js';
import { whitespaceTokens } from './vocabulary.js';

export type Sentence = string | readonly string[];

/** Sentences to train on; see the file header. */
export type Corpus =
  | string
  | Iterable<Sentence>
  | AsyncIterable<Sentence>
  | (() => Iterable<Sentence> | AsyncIterable<Sentence>);

/** Long sentences are cut into pieces of at most this many tokens (as gensim and word2vec.c do). */
export const MAX_SENTENCE_TOKENS = 10000;

/** Reads a corpus pass by pass. */
export class CorpusReader {
  private passes = 0;
  private firstPassSentences = 0;

  constructor(
    private readonly corpus: Corpus,
    private readonly tokenize: (text: string) => string[] = whitespaceTokens,
  ) {}

  /** True when the corpus is already in memory (a string or an array), so ids can be cached. */
  get inMemory(): boolean {
    return typeof this.corpus === 'string' || Array.isArray(this.corpus);
  }

  /** One pass over the sentences, each as tokens, cut to at most `MAX_SENTENCE_TOKENS`. */
  async *sentences(): AsyncGenerator<readonly string[]> {
    const pass = this.passes;
    const source = this.open();
    let count = 0;
    for await (const sentence of source) {
      count++;
      const tokens = typeof sentence === 'string' ? this.tokenize(sentence) : sentence;
      for (let i = 0; i < tokens.length; i += MAX_SENTENCE_TOKENS) {
        yield tokens.length <= MAX_SENTENCE_TOKENS ? tokens : tokens.slice(i, i + MAX_SENTENCE_TOKENS);
      }
    }
    if (pass === 0) this.firstPassSentences = count;
    else if (count === 0 && this.firstPassSentences > 0) {
      throw new CorpusError(`the corpus gave no sentences on pass ${pass + 1} (it gave ${this.firstPassSentences} on the first): a stream must be reopened for every pass, so pass a function that opens it`);
    }
  }

  private open(): Iterable<Sentence> | AsyncIterable<Sentence> {
    const pass = this.passes++;
    const c = this.corpus;
    if (typeof c === 'string') return c.split('\n');
    if (typeof c === 'function') return c();
    const iterator = Symbol.asyncIterator in c ? c[Symbol.asyncIterator]() : c[Symbol.iterator]();
    const oneShot = (iterator as unknown) === c;
    if (oneShot && pass > 0) {
      throw new CorpusError('the corpus is a one-shot iterator (a generator or stream) and is read once per epoch plus once to count words: pass an array, or a function that returns a fresh iterator');
    }
    return { [Symbol.asyncIterator]: () => toAsync(iterator) };
  }
}

function toAsync<T>(it: Iterator<T> | AsyncIterator<T>): AsyncIterator<T> {
  return { next: async () => it.next() };
}
