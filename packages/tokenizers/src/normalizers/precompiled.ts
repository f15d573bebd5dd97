/**
 * Precompiled normalizer: SentencePiece's compiled normalization rules (a darts-clone
 * double-array trie over UTF-8 plus a blob of replacement strings), as shipped in the
 * `precompiled_charsmap` of T5, XLM-R, ALBERT... tokenizers.
 *
 * Reference: HF `normalizers/precompiled.rs` and the `spm_precompiled` crate; SentencePiece
 * `normalizer.cc`. Like HF, each grapheme shorter than 6 bytes is looked up whole first, then
 * character by character, and the first (shortest) prefix match replaces the whole chunk.
 */
import { TokenizerJsonError } from '../errors.js';
import { AlignedBuilder, type NormalizedString } from '../normalized-string.js';
import type { NormalizerStage } from './normalizer.js';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Chunks whose replacement is remembered before the memo starts over. */
const MEMO_CAPACITY = 100_000;

export class Precompiled implements NormalizerStage {
  private readonly trie: Uint32Array;
  private readonly normalized: Uint8Array;
  private readonly memo = new Map<string, string | null>();

  /** @param charsmap the decoded `precompiled_charsmap` bytes. */
  constructor(
    readonly charsmap: Uint8Array,
    path = 'precompiled_charsmap',
  ) {
    if (charsmap.length < 4) throw new TokenizerJsonError(path, 'at least 4 bytes', `${charsmap.length} bytes`);
    const view = new DataView(charsmap.buffer, charsmap.byteOffset, charsmap.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize % 4 !== 0 || 4 + trieSize > charsmap.length) {
      throw new TokenizerJsonError(path, `a trie size that fits the ${charsmap.length}-byte map`, trieSize);
    }
    this.trie = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.trie.length; i++) this.trie[i] = view.getUint32(4 + 4 * i, true);
    this.normalized = charsmap.subarray(4 + trieSize);
  }

  static fromBase64(base64: string, path: string): Precompiled {
    let binary: string;
    try {
      binary = atob(base64);
    } catch {
      throw new TokenizerJsonError(path, 'base64 text', base64);
    }
    return new Precompiled(Uint8Array.from(binary, (c) => c.charCodeAt(0)), path);
  }

  normalize(input: NormalizedString): NormalizedString {
    if (input.text.length === 0) return input;
    const out = new AlignedBuilder(input.text.length);
    let modified = false;
    let u = 0;
    for (const { segment } of graphemes.segment(input.text)) {
      const whole = utf8.encode(segment).length < 6 ? this.transform(segment) : null;
      if (whole !== null) {
        modified = true;
        out.push(whole, input.startOf(u), input.endOf(u + segment.length - 1));
        u += segment.length;
        continue;
      }
      for (const ch of segment) {
        const rep = this.transform(ch);
        if (rep === null) out.copy(input, u, u + ch.length);
        else {
          modified = true;
          out.push(rep, input.startOf(u), input.endOf(u + ch.length - 1));
        }
        u += ch.length;
      }
    }
    return modified ? out.build(input.originalRange(0, 0)[0]) : input;
  }

  /** The replacement of `chunk`, or null when the trie has none. */
  private transform(chunk: string): string | null {
    const known = this.memo.get(chunk);
    if (known !== undefined) return known;
    const value = this.firstPrefixValue(utf8.encode(chunk));
    let rep: string | null = null;
    if (value !== null) {
      let end = value;
      while (end < this.normalized.length && this.normalized[end] !== 0) end++;
      rep = fromUtf8.decode(this.normalized.subarray(value, end));
    }
    if (this.memo.size >= MEMO_CAPACITY) this.memo.clear();
    this.memo.set(chunk, rep);
    return rep;
  }

  /** darts-clone common-prefix search, returning the first match's value. */
  private firstPrefixValue(key: Uint8Array): number | null {
    const unitAt = (pos: number): number => this.trie[pos] ?? 0;
    const offset = (unit: number): number => (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    let pos = 0;
    let unit = unitAt(pos);
    pos ^= offset(unit);
    for (const c of key) {
      if (c === 0) break;
      pos ^= c;
      unit = unitAt(pos);
      if ((unit & 0x800000ff) >>> 0 !== c) return null;
      pos ^= offset(unit);
      if (((unit >>> 8) & 1) === 1) return (unitAt(pos) & 0x7fffffff) >>> 0;
    }
    return null;
  }

  toJSON(): { type: 'Precompiled'; precompiled_charsmap: string } {
    let binary = '';
    for (let i = 0; i < this.charsmap.length; i += 0x8000) binary += String.fromCharCode(...this.charsmap.subarray(i, i + 0x8000));
    return { type: 'Precompiled', precompiled_charsmap: btoa(binary) };
  }
}
