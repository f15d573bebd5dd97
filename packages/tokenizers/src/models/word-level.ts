/**
 * WordLevel model: each word is one token, or the unknown token.
 *
 * Reference: HF `models/wordlevel/mod.rs`.
 */
import { EncodeError } from '../errors.js';
import type { Token } from '../pre-tokenized-string.js';
import { orderedVocabJson, VocabModel } from './model.js';

export class WordLevel extends VocabModel {

  /** @param unkToken token for words outside the vocabulary (default `<unk>`). */
  constructor(
    vocab: ReadonlyMap<string, number>,
    readonly unkToken = '<unk>',
  ) {
    super(vocab);
  }

  tokenize(word: string): Token[] {
    const id = this.vocab.get(word);
    if (id !== undefined) return [{ id, value: word, start: 0, end: word.length }];
    const unk = this.vocab.get(this.unkToken);
    if (unk === undefined) {
      throw new EncodeError(`model.unk_token: ${JSON.stringify(this.unkToken)} is not in model.vocab, and ${JSON.stringify(word)} needs it`);
    }
    return [{ id: unk, value: this.unkToken, start: 0, end: word.length }];
  }

  toJSON(): { type: 'WordLevel'; vocab: Record<string, number>; unk_token: string } {
    return { type: 'WordLevel', vocab: orderedVocabJson(this.vocab), unk_token: this.unkToken };
  }
}
