/**
 * BpeTrainer: learns BPE merges from word counts — repeatedly merge the most frequent adjacent
 * pair (ties: the smallest pair of ids) until the vocabulary is full.
 *
 * Reference: HF `models/bpe/trainer.rs`; Sennrich et al. 2016. Options as HF: `vocabSize`,
 * `minFrequency`, `specialTokens`, `limitAlphabet`, `initialAlphabet`, `continuingSubwordPrefix`,
 * `endOfWordSuffix`, `maxTokenLength`.
 * Porting note: each pair keeps one set of the words it occurs in, so a pair is merged once; HF
 * splits those sets across heap entries and can list the same merge twice.
 */
import type { AddedToken } from '../added-vocabulary.js';
import { BPE } from '../models/bpe.js';
import type { ModelStage } from '../models/model.js';
import { checkCount, specialAddedTokens, WordCounts, type CommonTrainerOptions, type Trainer } from './trainer.js';

export interface BpeTrainerOptions extends CommonTrainerOptions {
  /** Keep at most this many initial characters, the most frequent (default: all). */
  readonly limitAlphabet?: number | null;
  /** Characters always in the alphabet (default none). */
  readonly initialAlphabet?: readonly string[];
  /** Prefix of non-initial subwords, e.g. `##` (default none). */
  readonly continuingSubwordPrefix?: string | null;
  /** Suffix of word-final subwords, e.g. `</w>` (default none). */
  readonly endOfWordSuffix?: string | null;
  /** No merge produces a token longer than this many characters (default none). */
  readonly maxTokenLength?: number | null;
}


/** The vocabulary and merges learnt by BPE training, before a model is built from them. */
export interface BpeResult {
  readonly vocab: Map<string, number>;
  readonly merges: Array<[string, string]>;
  readonly specialTokens: AddedToken[];
}

export class BpeTrainer implements Trainer {
  readonly vocabSize: number;
  readonly minFrequency: number;
  readonly limitAlphabet: number | null;
  readonly maxTokenLength: number | null;
  protected readonly words = new WordCounts();

  constructor(readonly options: BpeTrainerOptions = {}) {
    this.vocabSize = checkCount('vocabSize', options.vocabSize ?? 30_000, 0);
    this.minFrequency = checkCount('minFrequency', options.minFrequency ?? 0, 0);
    this.limitAlphabet = options.limitAlphabet == null ? null : checkCount('limitAlphabet', options.limitAlphabet, 0);
    this.maxTokenLength = options.maxTokenLength == null ? null : checkCount('maxTokenLength', options.maxTokenLength, 1);
  }

  feed(words: Iterable<string>): void {
    this.words.add(words);
  }

  train(current: ModelStage): { model: ModelStage; specialTokens: AddedToken[] } {
    const { vocab, merges, specialTokens } = this.learn();
    const unkToken = current instanceof BPE ? current.unkToken : null;
    const model = new BPE(vocab, merges, {
      unkToken,
      continuingSubwordPrefix: this.options.continuingSubwordPrefix ?? null,
      endOfWordSuffix: this.options.endOfWordSuffix ?? null,
      fuseUnk: current instanceof BPE ? current.fuseUnk : false,
      byteFallback: current instanceof BPE ? current.byteFallback : false,
    });
    return { model, specialTokens };
  }

  /** Run BPE training on the counted words. */
  learn(): BpeResult {
    const progress = this.options.onProgress;
    const prefix = this.options.continuingSubwordPrefix ?? null;
    const suffix = this.options.endOfWordSuffix ?? null;
    const specialTokens = specialAddedTokens(this.options.specialTokens ?? []);
    const id2w: string[] = [];
    const w2id = new Map<string, number>();
    const addToken = (token: string): number => {
      let id = w2id.get(token);
      if (id === undefined) {
        id = id2w.length;
        id2w.push(token);
        w2id.set(token, id);
      }
      return id;
    };
    for (const t of specialTokens) addToken(t.content);
    for (const ch of this.alphabet()) addToken(ch);

    // Words as arrays of symbol ids, with their counts.
    const entries = [...this.words.counts];
    const counts = new Float64Array(entries.length);
    const words: number[][] = entries.map(([word, count], i) => {
      counts[i] = count;
      const chars = [...word];
      const symbols: number[] = [];
      chars.forEach((ch, k) => {
        if (!w2id.has(ch)) return;
        let s = ch;
        if (k > 0 && prefix !== null) s = prefix + s;
        if (k === chars.length - 1 && suffix !== null) s += suffix;
        symbols.push(addToken(s));
      });
      return symbols;
    });
    // Symbol lengths in characters (prefix and suffix not counted), for `maxTokenLength`.
    const lengths = this.maxTokenLength === null ? null : words.map((w) => w.map(() => 1));

    // A pair of ids packed in one number: a small integer (fast Map keys) while ids stay below
    // 2^15. Ids stay below the target size, as each merge adds at most one token.
    const SHIFT = Math.max(this.vocabSize + 1, id2w.length) <= 1 << 15 ? 1 << 15 : 2 ** 26;
    const key = (a: number, b: number): number => a * SHIFT + b;

    // Pair counts and where each pair occurs.
    const pairCounts = new Map<number, number>();
    const where = new Map<number, Set<number>>();
    words.forEach((w, i) => {
      for (let k = 0; k + 1 < w.length; k++) {
        const p = key(w[k] as number, w[k + 1] as number);
        pairCounts.set(p, (pairCounts.get(p) ?? 0) + (counts[i] as number));
        let set = where.get(p);
        if (set === undefined) where.set(p, (set = new Set()));
        set.add(i);
      }
      if (progress !== undefined && i % 10_000 === 0) progress({ stage: 'Count pairs', current: i, total: words.length });
    });
    progress?.({ stage: 'Count pairs', current: words.length, total: words.length });

    const heap = new PairHeap();
    for (const [p, c] of pairCounts) if (c > 0) heap.push(c, p);
    const merges: Array<[string, string]> = [];
    const target = this.vocabSize;
    const maxLength = this.maxTokenLength ?? Infinity;
    while (w2id.size < target && heap.size > 0) {
      const [count, p] = heap.pop();
      const actual = pairCounts.get(p) ?? 0;
      if (count !== actual) {
        if (actual > 0) heap.push(actual, p);
        continue;
      }
      if (count < 1 || this.minFrequency > count) break;
      const a = Math.floor(p / SHIFT);
      const b = p - a * SHIFT;
      const partA = id2w[a] as string;
      let partB = id2w[b] as string;
      if (prefix !== null && partB.startsWith(prefix)) partB = partB.slice(prefix.length);
      const merged = partA + partB;
      if ([...merged].length > maxLength) {
        pairCounts.set(p, 0);
        continue;
      }
      const newId = addToken(merged);
      merges.push([partA, id2w[b] as string]);
      const touched = new Set<number>();
      const change = (q: number, delta: number, word: number): void => {
        pairCounts.set(q, (pairCounts.get(q) ?? 0) + delta * (counts[word] as number));
        touched.add(q);
        if (delta > 0) {
          let set = where.get(q);
          if (set === undefined) where.set(q, (set = new Set()));
          set.add(word);
        }
      };
      for (const i of where.get(p) ?? []) {
        const w = words[i] as number[];
        const lens = lengths === null ? null : (lengths[i] as number[]);
        for (let k = 0; k + 1 < w.length; k++) {
          if (w[k] !== a || w[k + 1] !== b) continue;
          const mergedLength = lens === null ? 0 : (lens[k] as number) + (lens[k + 1] as number);
          if (k > 0) {
            change(key(w[k - 1] as number, a), -1, i);
            if (lens === null || (lens[k - 1] as number) + mergedLength < maxLength) change(key(w[k - 1] as number, newId), 1, i);
          }
          w.splice(k, 2, newId);
          lens?.splice(k, 2, mergedLength);
          if (k + 1 < w.length) {
            change(key(b, w[k + 1] as number), -1, i);
            if (lens === null || (lens[k + 1] as number) + mergedLength < maxLength) change(key(newId, w[k + 1] as number), 1, i);
          }
        }
      }
      pairCounts.set(p, 0);
      where.delete(p);
      for (const q of touched) {
        const c = pairCounts.get(q) ?? 0;
        if (c > 0) heap.push(c, q);
      }
      if (progress !== undefined && merges.length % 1000 === 0) progress({ stage: 'Compute merges', current: w2id.size, total: target });
    }
    progress?.({ stage: 'Compute merges', current: w2id.size, total: target });
    return { vocab: w2id, merges, specialTokens };
  }

  /** The initial alphabet: every character of the words (most frequent first when limited), in code point order. */
  private alphabet(): string[] {
    const freq = new Map<string, number>();
    for (const [word, count] of this.words.counts) for (const ch of word) freq.set(ch, (freq.get(ch) ?? 0) + count);
    for (const ch of this.options.initialAlphabet ?? []) freq.set(ch, Infinity);
    let kept = [...freq];
    if (this.limitAlphabet !== null && kept.length > this.limitAlphabet) {
      kept.sort((x, y) => x[1] - y[1] || (x[0].codePointAt(0) as number) - (y[0].codePointAt(0) as number));
      kept = kept.slice(kept.length - this.limitAlphabet);
    }
    return kept.map(([ch]) => ch).sort((x, y) => (x.codePointAt(0) as number) - (y.codePointAt(0) as number));
  }
}

/** A max-heap of (count, pair): highest count first, then the smallest pair. */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly pairs: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i] as number;
    const cj = this.counts[j] as number;
    return ci > cj || (ci === cj && (this.pairs[i] as number) < (this.pairs[j] as number));
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i] as number;
    this.counts[i] = this.counts[j] as number;
    this.counts[j] = c;
    const p = this.pairs[i] as number;
    this.pairs[i] = this.pairs[j] as number;
    this.pairs[j] = p;
  }

  push(count: number, pair: number): void {
    this.counts.push(count);
    this.pairs.push(pair);
    for (let i = this.counts.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [count: number, pair: number] {
    const top: [number, number] = [this.counts[0] as number, this.pairs[0] as number];
    const last = this.counts.length - 1;
    this.swap(0, last);
    this.counts.pop();
    this.pairs.pop();
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.counts.length && this.before(l, m)) m = l;
      if (r < this.counts.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}
