/**
 * The fused fast path of the GPT-2 family (ByteLevel pre-tokenizer with its regex, BPE model):
 * one regex pass, one cache lookup per word keyed by the raw word, and tokens written straight
 * into the encoding — no per-word `NormalizedString`, split or token objects. Words are cut by
 * `gpt2WordEnd` (a scanner equal to the GPT-2 pattern, which matches at every position); the
 * cache hashes each word in place and creates its string only on a miss.
 *
 * Reference: the general pipeline in `tokenizer.ts` (ByteLevel → BPE), which it must match
 * exactly; `fast-path.test.ts` checks it against that pipeline.
 */
import { BYTE_TO_CHAR } from './byte-level-alphabet.js';
import type { Offsets } from './encoding.js';
import type { BPE } from './models/bpe.js';
import type { NormalizedString } from './normalized-string.js';
import { gpt2WordEnd } from './pre-tokenizers/gpt2-scanner.js';
import { codePointLength, utf8 } from './unicode.js';

/** Where the fast path writes tokens. */
export interface TokenSink {
  readonly ids: number[];
  readonly tokens: string[];
  readonly offsets: Offsets[];
  readonly wordIds: Array<number | null>;
}

const PRINTABLE_ASCII_OR_SPACE = /^[\x20-\x7e]*$/;

export class ByteLevelBpeFastPath {
  private readonly cache: WordCache;

  constructor(
    private readonly model: BPE,
    cacheCapacity = 50_000,
  ) {
    this.cache = new WordCache(cacheCapacity);
  }

  /**
   * Append the tokens of `normalized`'s words to `sink`, numbering words from `wordId`, and
   * stop once `limit` tokens were written in total (`count` already were).
   * @returns the next word id and the new token count.
   */
  encode(normalized: NormalizedString, sink: TokenSink, wordId: number, count: number, limit: number): [number, number] {
    const { text } = normalized;
    const cache = this.cache;
    let start = 0;
    while (start < text.length && count < limit) {
      const end = gpt2WordEnd(text, start);
      let h = 0x811c9dc5;
      for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      let slot = cache.find(text, start, end, h);
      let pool: Int32Array;
      let from: number;
      let to: number;
      if (slot >= 0) {
        pool = cache.values;
        from = cache.valueStart[slot] as number;
        to = from + (cache.valueLength[slot] as number);
      } else {
        const word = text.slice(start, end);
        pool = this.encodeWord(word);
        from = 0;
        to = pool.length;
        slot = cache.add(word, h, pool);
        if (slot >= 0) {
          pool = cache.values;
          from = cache.valueStart[slot] as number;
          to = from + (cache.valueLength[slot] as number);
        }
      }
      for (let k = from; k < to; k += 3) {
        const id = pool[k] as number;
        sink.ids.push(id);
        sink.tokens.push(this.model.idToToken(id) as string);
        sink.offsets.push([normalized.startOf(start + (pool[k + 1] as number)), normalized.endOf(start + (pool[k + 2] as number) - 1)]);
        sink.wordIds.push(wordId);
      }
      count += (to - from) / 3;
      wordId++;
      start = end;
    }
    return [wordId, count];
  }

  /** BPE of one raw word, offsets mapped from its UTF-8 bytes back to UTF-16 units. */
  private encodeWord(word: string): Int32Array {
    if (PRINTABLE_ASCII_OR_SPACE.test(word)) return this.model.encodeWord(word.replaceAll(' ', '\u0120')).slice();
    let chars = '';
    const unitStart: number[] = [];
    const unitEnd: number[] = [];
    for (let i = 0; i < word.length; ) {
      const n = codePointLength(word, i);
      for (const b of utf8(word.slice(i, i + n))) {
        chars += BYTE_TO_CHAR[b] as string;
        unitStart.push(i);
        unitEnd.push(i + n);
      }
      i += n;
    }
    const triples = this.model.encodeWord(chars).slice();
    for (let k = 0; k < triples.length; k += 3) {
      const e = triples[k + 2] as number;
      triples[k + 1] = unitStart[triples[k + 1] as number] as number;
      triples[k + 2] = unitEnd[e - 1] as number;
    }
    return triples;
  }
}

/**
 * Bounded open-addressing map from a word (looked up in place in a larger text) to its
 * `[id, start, end]` triples. Keys and values live in typed-array pools, so a lookup touches a
 * few contiguous arrays instead of chasing a string and an array object per word.
 */
class WordCache {
  private readonly hashes: Int32Array;
  private readonly keyStart: Int32Array;
  private readonly keyLength: Int32Array;
  readonly valueStart: Int32Array;
  readonly valueLength: Int32Array;
  private keys = new Uint16Array(1 << 16);
  values = new Int32Array(1 << 16);
  private keysUsed = 0;
  private valuesUsed = 0;
  private readonly mask: number;
  private size = 0;

  /** @param capacity most words kept; once full, new words are not cached (as HF's cache). */
  constructor(private readonly capacity: number) {
    let slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    this.hashes = new Int32Array(slots);
    this.keyStart = new Int32Array(slots).fill(-1);
    this.keyLength = new Int32Array(slots);
    this.valueStart = new Int32Array(slots);
    this.valueLength = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** The slot holding `text[start, end)` (whose hash is `hash`), or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.keyStart[slot] as number;
      if (at === -1) return -1;
      if (this.hashes[slot] !== hash || this.keyLength[slot] !== length) continue;
      let i = 0;
      while (i < length && this.keys[at + i] === text.charCodeAt(start + i)) i++;
      if (i === length) return slot;
    }
  }

  /** Store `word` → `triples`; returns its slot, or -1 when full or too long. */
  add(word: string, hash: number, triples: Int32Array): number {
    if (this.size >= this.capacity || word.length >= 256) return -1;
    let slot = hash & this.mask;
    while (this.keyStart[slot] !== -1) slot = (slot + 1) & this.mask;
    this.keys = reserve(this.keys, this.keysUsed + word.length);
    for (let i = 0; i < word.length; i++) this.keys[this.keysUsed + i] = word.charCodeAt(i);
    this.values = reserve(this.values, this.valuesUsed + triples.length);
    this.values.set(triples, this.valuesUsed);
    this.hashes[slot] = hash;
    this.keyStart[slot] = this.keysUsed;
    this.keyLength[slot] = word.length;
    this.valueStart[slot] = this.valuesUsed;
    this.valueLength[slot] = triples.length;
    this.keysUsed += word.length;
    this.valuesUsed += triples.length;
    this.size++;
    return slot;
  }
}

function reserve<T extends Uint16Array | Int32Array>(pool: T, needed: number): T {
  if (needed <= pool.length) return pool;
  let length = pool.length;
  while (length < needed) length *= 2;
  const grown = new (pool.constructor as new (n: number) => T)(length);
  grown.set(pool);
  return grown;
}

/** The byte-level words of `text` (what ByteLevel pre-tokenization yields), for training. */
export function byteLevelWords(text: string): string[] {
  const words: string[] = [];
  for (let start = 0; start < text.length; ) {
    const end = gpt2WordEnd(text, start);
    const word = text.slice(start, end);
    words.push(PRINTABLE_ASCII_OR_SPACE.test(word) ? word.replaceAll(' ', '\u0120') : byteLevelString(word));
    start = end;
  }
  return words;
}

function byteLevelString(word: string): string {
  let chars = '';
  for (const b of utf8(word)) chars += BYTE_TO_CHAR[b] as string;
  return chars;
}
