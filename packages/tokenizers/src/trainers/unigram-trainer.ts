/**
 * UnigramTrainer: seeds a large vocabulary with frequent substrings, then alternates EM steps
 * (expected piece counts by forward-backward, Bayesian M step with digamma) and pruning of the
 * pieces whose removal costs the least likelihood, until `vocabSize` remains.
 *
 * Reference: HF `models/unigram/trainer.rs`; Kudo 2018, "Subword Regularization";
 * SentencePiece `unigram_model_trainer.cc`. Options as HF: `vocabSize`, `nSubIterations`,
 * `shrinkingFactor`, `specialTokens`, `initialAlphabet`, `unkToken`, `maxPieceLength`, `seedSize`.
 * Porting note: seeds are every substring (2 to `maxPieceLength` characters) seen in at least two
 * places among the distinct words, scored by frequency × length, instead of the maximal repeats
 * of a suffix array; EM then prunes the extra ones.
 * Porting note: the pruning loss uses each piece's own number of alternatives (HF multiplies by
 * the number of pieces, a slip from SentencePiece).
 */
import type { AddedToken } from '../added-vocabulary.js';
import { TokenizerConfigError } from '../errors.js';
import type { ModelStage } from '../models/model.js';
import { Unigram } from '../models/unigram.js';
import { checkCount, specialAddedTokens, WordCounts, type CommonTrainerOptions, type Trainer } from './trainer.js';
import { addMarginals, viterbi } from './unigram-lattice.js';

export interface UnigramTrainerOptions extends CommonTrainerOptions {
  /** EM steps between two prunings (default 2). */
  readonly nSubIterations?: number;
  /** Fraction of pieces kept by each pruning (default 0.75). */
  readonly shrinkingFactor?: number;
  /** Characters always in the vocabulary (default none). */
  readonly initialAlphabet?: readonly string[];
  /** The unknown token, added to the special tokens if missing (default none). */
  readonly unkToken?: string | null;
  /** Longest piece, in characters (default 16). */
  readonly maxPieceLength?: number;
  /** Most seed pieces (default 1,000,000). */
  readonly seedSize?: number;
}

type Piece = [piece: string, score: number];

/** ψ(x), the digamma function (asymptotic series after shifting x above 7). */
export function digamma(x: number): number {
  let result = 0;
  let v = x;
  while (v < 7) {
    result -= 1 / v;
    v += 1;
  }
  v -= 0.5;
  const xx = 1 / v;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  return result + Math.log(v) + xx2 / 24 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
}

export class UnigramTrainer implements Trainer {
  readonly vocabSize: number;
  readonly nSubIterations: number;
  readonly shrinkingFactor: number;
  readonly maxPieceLength: number;
  readonly seedSize: number;
  private readonly words = new WordCounts();

  constructor(readonly options: UnigramTrainerOptions = {}) {
    this.vocabSize = checkCount('vocabSize', options.vocabSize ?? 8000, 1);
    this.nSubIterations = checkCount('nSubIterations', options.nSubIterations ?? 2, 1);
    this.maxPieceLength = checkCount('maxPieceLength', options.maxPieceLength ?? 16, 1);
    this.seedSize = checkCount('seedSize', options.seedSize ?? 1_000_000, 1);
    const factor = options.shrinkingFactor ?? 0.75;
    if (!(factor > 0 && factor < 1)) throw new TokenizerConfigError('shrinkingFactor', 'a number in (0, 1)', factor);
    this.shrinkingFactor = factor;
  }

  feed(words: Iterable<string>): void {
    this.words.add(words);
  }

  train(current: ModelStage): { model: ModelStage; specialTokens: AddedToken[] } {
    const progress = this.options.onProgress;
    const sentences = [...this.words.counts];
    const required = new Set<string>(this.options.initialAlphabet ?? []);
    for (const [word] of sentences) for (const ch of word) required.add(ch);
    const specials = specialAddedTokens(this.options.specialTokens ?? []);
    if (required.size + specials.length > this.vocabSize) {
      throw new TokenizerConfigError('vocabSize', `at least ${required.size + specials.length} (the alphabet and the special tokens)`, this.vocabSize);
    }
    let pieces: Piece[] = [['<UNK>', NaN], ...this.seedPieces(sentences)];
    const desired = Math.floor((this.vocabSize * 11) / 10);
    let model = new Unigram(pieces, { unkId: 0 });
    const rounds = Math.max(1, Math.ceil(Math.log(desired / pieces.length) / Math.log(this.shrinkingFactor)) + 1);
    for (let round = 1; ; round++) {
      for (let k = 0; k < this.nSubIterations; k++) {
        pieces = this.mStep(pieces, this.eStep(model, sentences, pieces.length));
        model = new Unigram(pieces, { unkId: 0 });
      }
      progress?.({ stage: 'EM', current: Math.min(round, rounds), total: rounds });
      if (pieces.length <= desired) break;
      const before = pieces.length;
      pieces = this.prune(model, pieces, sentences);
      model = new Unigram(pieces, { unkId: 0 });
      if (pieces.length >= before) break;
    }
    const final = this.finalize(model, pieces, required, specials);
    return { model: final, specialTokens: specials.concat(this.unkAdded(specials)) };
  }

  /** The `unkToken` as a special token when it is not one already. */
  private unkAdded(specials: readonly AddedToken[]): AddedToken[] {
    const unk = this.options.unkToken ?? null;
    return unk === null || specials.some((t) => t.content === unk) ? [] : [{ content: unk, special: true }];
  }

  /** Characters by frequency, then substrings by frequency × length, as log-probabilities. */
  private seedPieces(sentences: ReadonlyArray<[string, number]>): Piece[] {
    const chars = new Map<string, number>();
    const substrings = new Map<string, number>();
    for (const [word, count] of sentences) {
      const cs = [...word];
      for (const ch of cs) chars.set(ch, (chars.get(ch) ?? 0) + count);
      for (let i = 0; i < cs.length; i++) {
        let s = cs[i] as string;
        for (let j = i + 1; j < cs.length && j - i < this.maxPieceLength; j++) {
          s += cs[j] as string;
          substrings.set(s, (substrings.get(s) ?? 0) + 1);
        }
      }
    }
    const seeds: Piece[] = [...chars].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1));
    const scored = [...substrings].filter(([, f]) => f >= 2).map(([s, f]): Piece => [s, f * [...s].length]);
    scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1));
    for (const p of scored) {
      if (seeds.length >= this.seedSize) break;
      seeds.push(p);
    }
    const logSum = Math.log(seeds.reduce((n, [, s]) => n + s, 0));
    return seeds.map(([p, s]) => [p, Math.log(s) - logSum]);
  }

  private eStep(model: Unigram, sentences: ReadonlyArray<[string, number]>, size: number): Float64Array {
    const expected = new Float64Array(size);
    for (const [word, count] of sentences) addMarginals(model.lattice(word), word.length, count, expected);
    return expected;
  }

  /** Bayesian (DP-prior) M step: drop pieces expected < 0.5 times; score digamma(c) - digamma(Σc). */
  private mStep(pieces: readonly Piece[], expected: Float64Array): Piece[] {
    const kept: Piece[] = [];
    let sum = 0;
    pieces.forEach(([piece], i) => {
      const freq = expected[i] as number;
      if (i === 0) kept.push([piece, NaN]);
      else if (freq >= 0.5) {
        kept.push([piece, freq]);
        sum += freq;
      }
    });
    const logSum = digamma(sum);
    return kept.map(([p, c], i) => [p, i === 0 ? NaN : digamma(c) - logSum]);
  }

  /** Keep the pieces whose removal would cost the most likelihood. */
  private prune(model: Unigram, pieces: readonly Piece[], sentences: ReadonlyArray<[string, number]>): Piece[] {
    const alwaysKeep = new Array<boolean>(pieces.length).fill(true);
    const alternatives: number[][] = pieces.map(() => []);
    pieces.forEach(([piece], id) => {
      if (id === 0) {
        alwaysKeep[id] = false;
        return;
      }
      const nodes = model.lattice(piece);
      const best = viterbi(nodes, piece.length) ?? [];
      if (best.length >= 2) alwaysKeep[id] = false;
      else {
        const whole = best[0] ?? null;
        const second = whole === null ? null : viterbi(nodes, piece.length, whole);
        if (second !== null) alternatives[id] = second.map((n) => n.id);
      }
    });
    const freq = new Float64Array(pieces.length);
    const inverted: number[][] = pieces.map(() => []);
    let vsum = 0;
    sentences.forEach(([word, count], i) => {
      vsum += count;
      for (const n of viterbi(model.lattice(word), word.length) ?? []) {
        if (n.id < 0) continue;
        freq[n.id] = (freq[n.id] as number) + count;
        inverted[n.id]?.push(i);
      }
    });
    const sum = freq.reduce((a, b) => a + b, 0);
    const logSum = Math.log(sum);
    const kept: Piece[] = [pieces[0] as Piece];
    const candidates: Array<[id: number, loss: number]> = [];
    pieces.forEach(([piece, score], id) => {
      if (id === 0) return;
      const alts = alternatives[id] as number[];
      const f0 = freq[id] as number;
      if (f0 === 0 && !alwaysKeep[id]) return;
      if (alts.length === 0) {
        kept.push([piece, score]);
        return;
      }
      let f = 0;
      for (const n of inverted[id] as number[]) f += (sentences[n] as [string, number])[1];
      if (f === 0) return;
      f /= vsum;
      const logProb = Math.log(f0) - logSum;
      const logSumAlt = Math.log(sum + f0 * (alts.length - 1));
      let logProbAlt = 0;
      for (const n of alts) logProbAlt += Math.log((freq[n] as number) + f0) - logSumAlt;
      candidates.push([id, f * (logProb - logProbAlt)]);
    });
    const target = Math.max(Math.floor((this.vocabSize * 11) / 10), Math.floor(pieces.length * this.shrinkingFactor));
    candidates.sort((a, b) => b[1] - a[1]);
    for (const [id] of candidates) {
      if (kept.length >= target) break;
      kept.push(pieces[id] as Piece);
    }
    return kept;
  }

  /** Required characters first, then the best pieces up to `vocabSize`, special tokens in front. */
  private finalize(model: Unigram, pieces: readonly Piece[], required: ReadonlySet<string>, specials: readonly AddedToken[]): Unigram {
    const unk = this.options.unkToken ?? null;
    const unkIndex = unk === null ? -1 : specials.findIndex((t) => t.content === unk);
    const addUnk = unk !== null && unkIndex === -1;
    const budget = this.vocabSize - specials.length - (addUnk ? 1 : 0);
    const scores = new Map(pieces.map(([p, s]) => [p, s]));
    const inserted = new Set<string>(['<UNK>']);
    const out: Piece[] = [];
    let penalty = 0;
    for (const ch of [...required].sort()) {
      const s = scores.get(ch);
      out.push([ch, s ?? model.minScore + penalty]);
      if (s === undefined) penalty += 0.0001;
      inserted.add(ch);
    }
    for (const [p, s] of pieces) {
      if (out.length >= budget) break;
      if (inserted.has(p)) continue;
      inserted.add(p);
      out.push([p, Number.isNaN(s) ? 0 : s]);
    }
    out.sort((a, b) => b[1] - a[1]);
    const head: Piece[] = specials.map((t) => [t.content, 0]);
    if (addUnk) head.unshift([unk, 0]);
    const unkId = unk === null ? null : addUnk ? 0 : unkIndex;
    return new Unigram([...head, ...out], { unkId });
  }
}
