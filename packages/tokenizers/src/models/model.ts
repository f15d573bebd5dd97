/**
 * The model stage: one word in, its tokens out, plus the vocabulary.
 *
 * Reference: the `Model` trait of Hugging Face `tokenizers`.
 */
import type { Token } from '../pre-tokenized-string.js';

export interface Model {
  /** The tokens of one word; offsets are UTF-16 offsets into `word`. */
  tokenize(word: string): Token[];
}

/** A model with its vocabulary that can write itself back as `tokenizer.json`'s `model`. */
export interface ModelStage extends Model {
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** Token → id for the whole vocabulary. */
  getVocab(): Map<string, number>;
  /** Number of entries in the vocabulary. */
  readonly vocabSize: number;
  toJSON(): { type: string };
}

/** The vocabulary as `{ token: id }` ordered by id, as HF writes it. */
export function orderedVocabJson(vocab: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [token, id] of [...vocab].sort((a, b) => a[1] - b[1])) out[token] = id;
  return out;
}

/** id → token, from token → id. */
export function reverseVocab(vocab: ReadonlyMap<string, number>): string[] {
  const r: string[] = [];
  for (const [token, id] of vocab) r[id] = token;
  return r;
}

/**
 * The vocabulary half of a `ModelStage` over a token → id map (BPE, WordPiece, WordLevel): the
 * lookups both ways and the size. Subclasses add `tokenize` and `toJSON`.
 */
export abstract class VocabModel implements ModelStage {
  protected readonly vocab: Map<string, number>;
  protected readonly vocabR: string[];

  constructor(vocab: ReadonlyMap<string, number>) {
    this.vocab = new Map(vocab);
    this.vocabR = reverseVocab(this.vocab);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocabR[id];
  }

  getVocab(): Map<string, number> {
    return new Map(this.vocab);
  }

  abstract tokenize(word: string): Token[];
  abstract toJSON(): { type: string };
}
