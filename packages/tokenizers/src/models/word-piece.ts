/**
 * WordPiece model: greedy longest-match-first over the vocabulary, non-initial pieces carrying
 * a prefix (`##`); a word with no full segmentation, or too long, is one unknown token.
 *
 * Reference: HF `models/wordpiece/mod.rs`; Schuster & Nakajima 2012; BERT `WordpieceTokenizer`.
 * Porting note: the match search starts at the longest vocabulary entry instead of the word's
 * end, which gives the same result faster.
 */
import { EncodeError } from '../errors.js';
import type { Token } from '../pre-tokenized-string.js';
import { orderedVocabJson, VocabModel } from './model.js';

export interface WordPieceConfig {
  /** Token for unknown words (default `[UNK]`). */
  readonly unkToken?: string;
  /** Prefix of non-initial pieces (default `##`). */
  readonly continuingSubwordPrefix?: string;
  /** Longer words (in characters) are unknown (default 100). */
  readonly maxInputCharsPerWord?: number;
}

export class WordPiece extends VocabModel {
  readonly unkToken: string;
  readonly continuingSubwordPrefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly longest: number;

  constructor(vocab: ReadonlyMap<string, number>, config: WordPieceConfig = {}) {
    super(vocab);
    this.unkToken = config.unkToken ?? '[UNK]';
    this.continuingSubwordPrefix = config.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = config.maxInputCharsPerWord ?? 100;
    let longest = 0;
    for (const token of this.vocab.keys()) longest = Math.max(longest, token.length);
    this.longest = longest;
  }

  tokenize(word: string): Token[] {
    if (word.length > this.maxInputCharsPerWord && [...word].length > this.maxInputCharsPerWord) return [this.unk(word)];
    const tokens: Token[] = [];
    const prefix = this.continuingSubwordPrefix;
    for (let start = 0; start < word.length; ) {
      let end = Math.min(word.length, start + this.longest);
      let found: Token | null = null;
      while (start < end) {
        if (isLowSurrogateAt(word, end)) {
          end--;
          continue;
        }
        const piece = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
        const id = this.vocab.get(piece);
        if (id !== undefined) {
          found = { id, value: piece, start, end };
          break;
        }
        end--;
      }
      if (found === null) return [this.unk(word)];
      tokens.push(found);
      start = end;
    }
    return tokens;
  }

  private unk(word: string): Token {
    const id = this.vocab.get(this.unkToken);
    if (id === undefined) {
      throw new EncodeError(`model.unk_token: ${JSON.stringify(this.unkToken)} is not in model.vocab, and ${JSON.stringify(word)} needs it`);
    }
    return { id, value: this.unkToken, start: 0, end: word.length };
  }

  toJSON(): { type: 'WordPiece'; unk_token: string; continuing_subword_prefix: string; max_input_chars_per_word: number; vocab: Record<string, number> } {
    return {
      type: 'WordPiece',
      unk_token: this.unkToken,
      continuing_subword_prefix: this.continuingSubwordPrefix,
      max_input_chars_per_word: this.maxInputCharsPerWord,
      vocab: orderedVocabJson(this.vocab),
    };
  }
}

/** True when `end` would cut a surrogate pair in two. */
function isLowSurrogateAt(text: string, end: number): boolean {
  const c = text.charCodeAt(end);
  const p = text.charCodeAt(end - 1);
  return c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff;
}
