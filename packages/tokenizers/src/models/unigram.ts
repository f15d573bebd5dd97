/**
 * Unigram language-model tokenizer: the segmentation with the highest total log-probability
 * (Viterbi), unknown characters scored `min_score - 10` and fused, optional byte fallback.
 *
 * Reference: HF `models/unigram/model.rs` (`encode_optimized`); Kudo 2018, "Subword
 * Regularization"; SentencePiece `unigram_model.cc`.
 */
import { EncodeError, TokenizerJsonError } from '../errors.js';
import type { Token } from '../pre-tokenized-string.js';
import { codePointLength, utf8 } from '../unicode.js';
import type { ModelStage } from './model.js';

/** Score penalty of an unknown character below the lowest piece score. */
export const UNK_PENALTY = 10;

/** A piece (or unknown character) spanning `[start, end)` of a word. */
export interface LatticeNode {
  readonly start: number;
  readonly end: number;
  readonly id: number;
  readonly score: number;
}

interface TrieNode {
  id: number;
  readonly children: Map<number, TrieNode>;
}

export interface UnigramConfig {
  /** Id of the unknown piece; null when there is none (default null). */
  readonly unkId?: number | null;
  /** Spell pieces missing from the vocabulary as `<0xAB>` byte tokens (default false). */
  readonly byteFallback?: boolean;
}

export class Unigram implements ModelStage {
  readonly unkId: number | null;
  readonly byteFallback: boolean;
  readonly minScore: number;
  private readonly pieces: ReadonlyArray<readonly [string, number]>;
  private readonly ids = new Map<string, number>();
  private readonly root: TrieNode = { id: -1, children: new Map() };

  /** @param pieces `[piece, log-probability]` in id order. */
  constructor(pieces: ReadonlyArray<readonly [string, number]>, config: UnigramConfig = {}, path = 'model') {
    this.pieces = pieces;
    this.unkId = config.unkId ?? null;
    this.byteFallback = config.byteFallback ?? false;
    if (this.unkId !== null && this.unkId >= pieces.length) {
      throw new TokenizerJsonError(`${path}.unk_id`, `an index into ${path}.vocab (< ${pieces.length})`, this.unkId);
    }
    let minScore = Infinity;
    pieces.forEach(([piece, score], id) => {
      if (!this.ids.has(piece)) this.ids.set(piece, id);
      if (!Number.isNaN(score)) minScore = Math.min(minScore, score);
      let node = this.root;
      for (let i = 0; i < piece.length; i++) {
        const c = piece.charCodeAt(i);
        let child = node.children.get(c);
        if (child === undefined) {
          child = { id: -1, children: new Map() };
          node.children.set(c, child);
        }
        node = child;
      }
      if (node.id === -1) node.id = id;
    });
    this.minScore = Number.isFinite(minScore) ? minScore : 0;
  }

  get vocabSize(): number {
    return this.pieces.length;
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.pieces[id]?.[0];
  }

  getVocab(): Map<string, number> {
    return new Map(this.ids);
  }

  /** `[piece, score]` pairs in id order. */
  getPieces(): ReadonlyArray<readonly [string, number]> {
    return this.pieces;
  }

  /**
   * Every piece of the vocabulary found in `word`, plus an unknown node (score `minScore - 10`,
   * id `unkId`, or -1 without one) for each character that no one-character piece covers.
   */
  lattice(word: string): LatticeNode[] {
    const nodes: LatticeNode[] = [];
    const unkScore = this.minScore - UNK_PENALTY;
    for (let start = 0; start < word.length; ) {
      const charLen = codePointLength(word, start);
      let single = false;
      let node: TrieNode | undefined = this.root;
      for (let end = start; end < word.length; ) {
        node = node.children.get(word.charCodeAt(end));
        if (node === undefined) break;
        end++;
        if (node.id === -1) continue;
        nodes.push({ start, end, id: node.id, score: (this.pieces[node.id] as readonly [string, number])[1] });
        if (end - start === charLen) single = true;
      }
      if (!single) nodes.push({ start, end: start + charLen, id: this.unkId ?? -1, score: unkScore });
      start += charLen;
    }
    return nodes;
  }

  /** The best segmentation of `word` as strings (unknown runs fused). */
  encode(word: string): string[] {
    const size = word.length;
    const score = new Float64Array(size + 1);
    const from = new Int32Array(size + 1).fill(-1);
    const ids = new Int32Array(size + 1);
    const unkScore = this.minScore - UNK_PENALTY;
    for (let start = 0; start < size; ) {
      const base = score[start] as number;
      const charLen = codePointLength(word, start);
      let single = false;
      let node: TrieNode | undefined = this.root;
      for (let end = start; end < size; ) {
        node = node.children.get(word.charCodeAt(end));
        if (node === undefined) break;
        end++;
        if (node.id === -1) continue;
        const candidate = base + (this.pieces[node.id] as readonly [string, number])[1];
        if (from[end] === -1 || candidate > (score[end] as number)) {
          score[end] = candidate;
          from[end] = start;
          ids[end] = node.id;
        }
        if (end - start === charLen) single = true;
      }
      if (!single) {
        const end = start + charLen;
        const candidate = base + unkScore;
        if (from[end] === -1 || candidate > (score[end] as number)) {
          if (this.unkId === null) throw new EncodeError(`model.unk_id: null, but ${JSON.stringify(word.slice(start, end))} is not in model.vocab`);
          score[end] = candidate;
          from[end] = start;
          ids[end] = this.unkId;
        }
      }
      start += charLen;
    }
    const out: string[] = [];
    let unkEnd = -1;
    for (let end = size; end > 0; ) {
      const start = from[end] as number;
      const isUnk = this.unkId !== null && ids[end] === this.unkId;
      if (isUnk) {
        if (unkEnd === -1) unkEnd = end;
      } else {
        if (unkEnd !== -1) out.push(word.slice(end, unkEnd));
        unkEnd = -1;
        out.push(word.slice(start, end));
      }
      end = start;
    }
    if (unkEnd !== -1) out.push(word.slice(0, unkEnd));
    return out.reverse();
  }

  tokenize(word: string): Token[] {
    const tokens: Token[] = [];
    let offset = 0;
    for (const piece of this.encode(word)) {
      const start = offset;
      const end = (offset += piece.length);
      const id = this.ids.get(piece);
      if (id !== undefined) {
        tokens.push({ id, value: piece, start, end });
        continue;
      }
      const bytes = this.byteFallback ? this.byteTokens(piece, start, end) : null;
      if (bytes !== null) tokens.push(...bytes);
      else if (this.unkId !== null) tokens.push({ id: this.unkId, value: piece, start, end });
      else throw new EncodeError(`model.unk_id: null, but ${JSON.stringify(piece)} is not in model.vocab`);
    }
    return tokens;
  }

  private byteTokens(piece: string, start: number, end: number): Token[] | null {
    const tokens: Token[] = [];
    for (const b of utf8(piece)) {
      const value = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
      const id = this.ids.get(value);
      if (id === undefined) return null;
      tokens.push({ id, value, start, end });
    }
    return tokens;
  }

  toJSON(): { type: 'Unigram'; unk_id: number | null; vocab: Array<[string, number]>; byte_fallback: boolean } {
    return { type: 'Unigram', unk_id: this.unkId, vocab: this.pieces.map(([p, s]) => [p, s]), byte_fallback: this.byteFallback };
  }
}
