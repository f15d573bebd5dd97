/**
 * WordPieceTrainer: BPE training with a `##` continuing-subword prefix, whose vocabulary becomes
 * a WordPiece model (the tokenizer's `unk_token` is kept).
 *
 * Reference: HF `models/wordpiece/trainer.rs` (a wrapped `BpeTrainer`, `WordPiece::from_bpe`).
 */
import type { AddedToken } from '../added-vocabulary.js';
import type { ModelStage } from '../models/model.js';
import { WordPiece } from '../models/word-piece.js';
import { BpeTrainer, type BpeTrainerOptions } from './bpe-trainer.js';
import type { Trainer } from './trainer.js';

export type WordPieceTrainerOptions = BpeTrainerOptions;

export class WordPieceTrainer implements Trainer {
  private readonly bpe: BpeTrainer;

  /** @param options as BpeTrainer's; `continuingSubwordPrefix` defaults to `##`. */
  constructor(readonly options: WordPieceTrainerOptions = {}) {
    this.bpe = new BpeTrainer({ ...options, continuingSubwordPrefix: options.continuingSubwordPrefix ?? '##' });
  }

  feed(words: Iterable<string>): void {
    this.bpe.feed(words);
  }

  train(current: ModelStage): { model: ModelStage; specialTokens: AddedToken[] } {
    const { vocab, specialTokens } = this.bpe.learn();
    const model = new WordPiece(vocab, {
      unkToken: current instanceof WordPiece ? current.unkToken : '[UNK]',
      continuingSubwordPrefix: this.options.continuingSubwordPrefix ?? '##',
      maxInputCharsPerWord: current instanceof WordPiece ? current.maxInputCharsPerWord : 100,
    });
    return { model, specialTokens };
  }
}
