/**
 * BPE model: a word starts as characters (or bytes, with byte fallback) and merges apply in
 * rank order. Supports dropout, unknown-token fusing, a continuing-subword prefix, an
 * end-of-word suffix, `ignore_merges` and a bounded per-word cache.
 *
 * Reference: HF `models/bpe/model.rs`; Sennrich et al. 2016; Provilkov et al. 2020
 * (BPE-dropout). Byte-level BPE (GPT-2) is this model behind the ByteLevel pre-tokenizer.
 * Porting note: dropout draws from a seeded generator (`seed`), not an unseeded thread RNG.
 * Porting note: with byte fallback every byte token of a character carries that character's
 * whole offsets (HF gives each byte one byte of a UTF-8 range).
 */
import { EncodeError, TokenizerConfigError, TokenizerJsonError } from '../errors.js';
import type { Token } from '../pre-tokenized-string.js';
import { seededRandom } from '../random.js';
import { codePointLength, utf8 } from '../unicode.js';
import { MergeTable, mergeSymbols } from './bpe-merges.js';
import { orderedVocabJson, VocabModel } from './model.js';

export interface BpeConfig {
  /** Probability of skipping each merge, in (0, 1]; null for none (default null). */
  readonly dropout?: number | null;
  /** Seed of the dropout generator (default 0). */
  readonly seed?: number;
  /** Token for characters outside the vocabulary; null drops them, as HF does (default null). */
  readonly unkToken?: string | null;
  /** Prefix of every non-initial subword, e.g. `##` (default null). */
  readonly continuingSubwordPrefix?: string | null;
  /** Suffix of every word-final subword, e.g. `</w>` (default null). */
  readonly endOfWordSuffix?: string | null;
  /** Fuse consecutive unknown tokens into one (default false). */
  readonly fuseUnk?: boolean;
  /** Spell unknown characters as `<0xAB>` byte tokens when those exist (default false). */
  readonly byteFallback?: boolean;
  /** A word that is itself in the vocabulary is one token, merges or not (default false). */
  readonly ignoreMerges?: boolean;
  /** Most words cached; once full, new words are not cached, as in HF (default 10,000; 0 disables it). */
  readonly cacheCapacity?: number;
}

/** Words longer than this (UTF-16 units) are not cached, as in HF. */
const MAX_CACHED_LENGTH = 256;
const EMPTY = new Int32Array(0);

export class BPE extends VocabModel {
  readonly dropout: number | null;
  readonly unkToken: string | null;
  readonly continuingSubwordPrefix: string | null;
  readonly endOfWordSuffix: string | null;
  readonly fuseUnk: boolean;
  readonly byteFallback: boolean;
  readonly ignoreMerges: boolean;
  private readonly merges: ReadonlyArray<readonly [string, string]>;
  private readonly table: MergeTable;
  private readonly cache = new Map<string, Int32Array>();
  private readonly cacheCapacity: number;
  private readonly random: () => number;

  /**
   * @param vocab token → id.
   * @param merges pairs in rank order; each side and their concatenation must be in `vocab`.
   * @param path JSON path of this model, for errors (`model`).
   */
  constructor(vocab: ReadonlyMap<string, number>, merges: ReadonlyArray<readonly [string, string]>, config: BpeConfig = {}, path = 'model') {
    super(vocab);
    const dropout = config.dropout ?? null;
    if (dropout !== null && !(dropout >= 0 && dropout <= 1)) throw new TokenizerConfigError(`${path}.dropout`, 'a number in [0, 1]', dropout);
    this.dropout = dropout;
    this.unkToken = config.unkToken ?? null;
    this.continuingSubwordPrefix = config.continuingSubwordPrefix ?? null;
    this.endOfWordSuffix = config.endOfWordSuffix ?? null;
    this.fuseUnk = config.fuseUnk ?? false;
    this.byteFallback = config.byteFallback ?? false;
    this.ignoreMerges = config.ignoreMerges ?? false;
    this.cacheCapacity = config.cacheCapacity ?? 10_000;
    this.random = seededRandom(config.seed ?? 0);
    this.merges = merges;
    this.table = new MergeTable(merges.length);
    const prefixLength = this.continuingSubwordPrefix?.length ?? 0;
    merges.forEach(([a, b], rank) => {
      const at = `${path}.merges[${rank}]`;
      const left = this.vocab.get(a);
      if (left === undefined) throw new TokenizerJsonError(at, `a token of ${path}.vocab`, a);
      const right = this.vocab.get(b);
      if (right === undefined) throw new TokenizerJsonError(at, `a token of ${path}.vocab`, b);
      const joined = a + b.slice(prefixLength);
      const merged = this.vocab.get(joined);
      if (merged === undefined) throw new TokenizerJsonError(at, `its merged token in ${path}.vocab`, joined);
      this.table.add(left, right, rank, merged);
    });
  }

  /** The merges in rank order. */
  getMerges(): ReadonlyArray<readonly [string, string]> {
    return this.merges;
  }

  tokenize(word: string): Token[] {
    const symbols = this.encodeWord(word);
    const tokens: Token[] = new Array<Token>(symbols.length / 3);
    for (let k = 0, t = 0; k < symbols.length; k += 3, t++) {
      const id = symbols[k] as number;
      tokens[t] = { id, value: this.vocabR[id] as string, start: symbols[k + 1] as number, end: symbols[k + 2] as number };
    }
    return tokens;
  }

  /** The tokens of `word` as `[id, start, end]` triples (cached; do not modify the result). */
  encodeWord(word: string): Int32Array {
    if (word.length === 0) return EMPTY;
    if (this.ignoreMerges) {
      const id = this.vocab.get(word);
      if (id !== undefined) return Int32Array.of(id, 0, word.length);
    }
    const useCache = (this.dropout === null || this.dropout === 0) && this.cacheCapacity > 0;
    let symbols = useCache ? this.cache.get(word) : undefined;
    if (symbols === undefined) {
      symbols = this.mergeWord(word);
      if (useCache && word.length < MAX_CACHED_LENGTH && this.cache.size < this.cacheCapacity) this.cache.set(word, symbols);
    }
    return symbols;
  }

  /** `[id, start, end]` triples of `word` after all merges. */
  private mergeWord(word: string): Int32Array {
    const cap = this.byteFallback ? 4 * word.length + 8 : word.length;
    const ids = new Int32Array(cap);
    const starts = new Int32Array(cap);
    const ends = new Int32Array(cap);
    let n = 0;
    const add = (id: number, s: number, e: number): void => {
      ids[n] = id;
      starts[n] = s;
      ends[n] = e;
      n++;
    };
    let unk: [id: number, start: number, end: number] | null = null;
    const prefix = this.continuingSubwordPrefix;
    const suffix = this.endOfWordSuffix;
    let bytes: number[] | null;
    for (let i = 0; i < word.length; ) {
      const len = codePointLength(word, i);
      let s = len === 1 ? (word[i] as string) : word.slice(i, i + len);
      if (prefix !== null && i > 0) s = prefix + s;
      if (suffix !== null && i + len === word.length) s += suffix;
      const id = this.vocab.get(s);
      if (id !== undefined) {
        if (unk !== null) add(...unk);
        unk = null;
        add(id, i, i + len);
      } else if (this.byteFallback && (bytes = this.byteIds(s)) !== null) {
        if (unk !== null) add(...unk);
        unk = null;
        for (const b of bytes) add(b, i, i + len);
      } else {
        if (this.unkToken !== null) {
          const unkId = this.vocab.get(this.unkToken);
          if (unkId === undefined) {
            throw new EncodeError(`model.unk_token: ${JSON.stringify(this.unkToken)} is not in model.vocab, and ${JSON.stringify(s)} needs it`);
          }
          if (unk !== null && this.fuseUnk) unk[2] = i + len;
          else {
            if (unk !== null) add(...unk);
            unk = [unkId, i, i + len];
          }
        }
      }
      i += len;
    }
    if (unk !== null) add(...unk);
    n = mergeSymbols(ids, starts, ends, n, this.table, this.dropout ?? 0, this.random);
    const out = new Int32Array(3 * n);
    for (let k = 0; k < n; k++) {
      out[3 * k] = ids[k] as number;
      out[3 * k + 1] = starts[k] as number;
      out[3 * k + 2] = ends[k] as number;
    }
    return out;
  }

  /** The `<0xAB>` token of every byte of `s`, or null if one is missing. */
  private byteIds(s: string): number[] | null {
    const ids: number[] = [];
    for (const b of utf8(s)) {
      const id = this.vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      if (id === undefined) return null;
      ids.push(id);
    }
    return ids;
  }

  toJSON(): {
    type: 'BPE';
    dropout: number | null;
    unk_token: string | null;
    continuing_subword_prefix: string | null;
    end_of_word_suffix: string | null;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: Array<[string, string]>;
  } {
    return {
      type: 'BPE',
      dropout: this.dropout,
      unk_token: this.unkToken,
      continuing_subword_prefix: this.continuingSubwordPrefix,
      end_of_word_suffix: this.endOfWordSuffix,
      fuse_unk: this.fuseUnk,
      byte_fallback: this.byteFallback,
      ignore_merges: this.ignoreMerges,
      vocab: orderedVocabJson(this.vocab),
      merges: this.merges.map(([a, b]) => [a, b]),
    };
  }
}
