/**
 * WordLevelTrainer: the vocabulary is the special tokens, then the most frequent words.
 *
 * Reference: HF `models/wordlevel/trainer.rs` (words sorted by count, then text, for a
 * deterministic cut at `vocabSize`).
 */
import type { AddedToken } from '../added-vocabulary.js';
import type { ModelStage } from '../models/model.js';
import { WordLevel } from '../models/word-level.js';
import { checkCount, specialAddedTokens, WordCounts, type CommonTrainerOptions, type Trainer } from './trainer.js';

export type WordLevelTrainerOptions = CommonTrainerOptions;

export class WordLevelTrainer implements Trainer {
  readonly vocabSize: number;
  readonly minFrequency: number;
  private readonly words = new WordCounts();

  constructor(readonly options: WordLevelTrainerOptions = {}) {
    this.vocabSize = checkCount('vocabSize', options.vocabSize ?? 30_000, 0);
    this.minFrequency = checkCount('minFrequency', options.minFrequency ?? 0, 0);
  }

  feed(words: Iterable<string>): void {
    this.words.add(words);
  }

  train(current: ModelStage): { model: ModelStage; specialTokens: AddedToken[] } {
    const specialTokens = specialAddedTokens(this.options.specialTokens ?? []);
    const ordered = [...this.words.counts]
      .filter(([, n]) => n >= this.minFrequency)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const vocab = new Map<string, number>();
    for (const token of [...specialTokens.map((t) => t.content), ...ordered.map(([w]) => w)]) {
      if (vocab.size >= this.vocabSize) break;
      if (!vocab.has(token)) vocab.set(token, vocab.size);
    }
    this.options.onProgress?.({ stage: 'Build vocabulary', current: vocab.size, total: vocab.size });
    return { model: new WordLevel(vocab, current instanceof WordLevel ? current.unkToken : '<unk>'), specialTokens };
  }
}
