/**
 * `Tokenizer`: the whole pipeline — added tokens, normalizer, pre-tokenizer, model,
 * post-processor, decoder — with truncation, padding, batches, and `tokenizer.json` I/O.
 *
 * Reference: HF `tokenizers/src/tokenizer/mod.rs` (`encode`, `post_process`, `decode`) and
 * `serialization.rs`. Offsets are UTF-16 offsets into the original input, so
 * `text.slice(start, end)` is the token's text.
 * With truncation on, like HF, a sequence is tokenized word by word only until it holds
 * `maxLength` tokens (from the end for left truncation); words past that reach no overflowing
 * piece, and word ids count from the first word kept.
 */
import { AddedVocabulary, type AddedToken } from './added-vocabulary.js';
import type { DecoderStage } from './decoders/decoder.js';
import { ByteLevelBpeFastPath, byteLevelWords } from './byte-level-bpe-fast-path.js';
import { decoderFromJson } from './decoders/from-json.js';
import { Encoding, type Offsets } from './encoding.js';
import { TokenizerJsonError } from './errors.js';
import { asArray, asObject, str } from './json.js';
import { BPE } from './models/bpe.js';
import { modelFromJson } from './models/from-json.js';
import type { ModelStage } from './models/model.js';
import { normalizerFromJson } from './normalizers/from-json.js';
import type { NormalizerStage } from './normalizers/normalizer.js';
import { checkPadding, padEncodings, paddingFromJson, paddingToJson, type PaddingParams, type ResolvedPadding } from './padding.js';
import { NormalizedString } from './normalized-string.js';
import { PreTokenizedString, type Split, type Token } from './pre-tokenized-string.js';
import { ByteLevel } from './pre-tokenizers/byte-level.js';
import { preTokenizerFromJson } from './pre-tokenizers/from-json.js';
import type { PreTokenizerStage } from './pre-tokenizers/pre-tokenizer.js';
import { postProcessorFromJson } from './processors/from-json.js';
import { postProcess, type PostProcessorStage } from './processors/post-processor.js';
import type { Trainer } from './trainers/trainer.js';
import { checkTruncation, truncateEncodings, truncationFromJson, truncationToJson, type TruncationParams } from './truncation.js';

export interface EncodeOptions {
  /** Let the post-processor add special tokens (default true). */
  readonly addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Leave special added tokens out (default true). */
  readonly skipSpecialTokens?: boolean;
}

/** One input of a batch: a text or a pair of texts. */
export type EncodeInput = string | readonly [string, string];

export class Tokenizer {
  normalizer: NormalizerStage | null = null;
  preTokenizer: PreTokenizerStage | null = null;
  postProcessor: PostProcessorStage | null = null;
  decoder: DecoderStage | null = null;
  private addedVocabulary = new AddedVocabulary();
  private truncationParams: Required<TruncationParams> | null = null;
  private paddingParams: ResolvedPadding | null = null;
  private fast: { model: BPE; path: ByteLevelBpeFastPath } | null = null;

  constructor(public model: ModelStage) {}

  /** Load a Hugging Face `tokenizer.json` (text or parsed). */
  static fromJSON(json: string | object): Tokenizer {
    let parsed: unknown = json;
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json);
      } catch (e) {
        throw new TokenizerJsonError('(root)', 'valid JSON', (e as Error).message);
      }
    }
    const obj = asObject(parsed, '(root)');
    if (obj.version !== undefined) str(obj, 'version', '(root)');
    const tokenizer = new Tokenizer(modelFromJson(obj.model, 'model'));
    if (obj.normalizer != null) tokenizer.normalizer = normalizerFromJson(obj.normalizer, 'normalizer');
    if (obj.pre_tokenizer != null) tokenizer.preTokenizer = preTokenizerFromJson(obj.pre_tokenizer, 'pre_tokenizer');
    if (obj.post_processor != null) tokenizer.postProcessor = postProcessorFromJson(obj.post_processor, 'post_processor');
    if (obj.decoder != null) tokenizer.decoder = decoderFromJson(obj.decoder, 'decoder');
    if (obj.truncation != null) tokenizer.truncationParams = truncationFromJson(obj.truncation, 'truncation');
    if (obj.padding != null) tokenizer.paddingParams = paddingFromJson(obj.padding, 'padding');
    tokenizer.addedVocabulary = AddedVocabulary.fromJson(asArray(obj.added_tokens ?? [], 'added_tokens'), 'added_tokens');
    tokenizer.addedVocabulary.refresh(tokenizer.normalizer);
    return tokenizer;
  }

  /** The `tokenizer.json` object (pass it to `JSON.stringify`). */
  toJSON(): object {
    return {
      version: '1.0',
      truncation: this.truncationParams === null ? null : truncationToJson(this.truncationParams),
      padding: this.paddingParams === null ? null : paddingToJson(this.paddingParams),
      added_tokens: this.addedVocabulary.toJSON(),
      normalizer: this.normalizer?.toJSON() ?? null,
      pre_tokenizer: this.preTokenizer?.toJSON() ?? null,
      post_processor: this.postProcessor?.toJSON() ?? null,
      decoder: this.decoder?.toJSON() ?? null,
      model: this.model.toJSON(),
    };
  }

  /** Truncate every encoding to `params.maxLength` (null turns truncation off). */
  setTruncation(params: TruncationParams | null): this {
    this.truncationParams = params === null ? null : checkTruncation(params);
    return this;
  }

  get truncation(): Required<TruncationParams> | null {
    return this.truncationParams;
  }

  /** Pad encodings (null turns padding off); without a fixed `length`, `encode` pads to its own length (rounded up). */
  setPadding(params: PaddingParams | null): this {
    this.paddingParams = params === null ? null : checkPadding(params);
    return this;
  }

  get padding(): ResolvedPadding | null {
    return this.paddingParams;
  }

  /** Add normal tokens; returns how many were not already known. */
  addTokens(tokens: ReadonlyArray<string | AddedToken>): number {
    return this.addedVocabulary.add(tokens, false, this.model, this.normalizer);
  }

  /** Add special tokens (skipped by `decode`); returns how many were not already known. */
  addSpecialTokens(tokens: ReadonlyArray<string | AddedToken>): number {
    return this.addedVocabulary.add(tokens, true, this.model, this.normalizer);
  }

  /** The added tokens with their ids. */
  getAddedTokens(): Array<Required<AddedToken> & { id: number }> {
    return this.addedVocabulary.tokens();
  }

  tokenToId(token: string): number | undefined {
    return this.addedVocabulary.tokenToId(token) ?? this.model.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedVocabulary.idToToken(id) ?? this.model.idToToken(id);
  }

  /** Token → id, with the added tokens unless `withAddedTokens` is false. */
  getVocab(withAddedTokens = true): Map<string, number> {
    const vocab = this.model.getVocab();
    if (withAddedTokens) for (const t of this.addedVocabulary.tokens()) vocab.set(t.content, t.id);
    return vocab;
  }

  getVocabSize(withAddedTokens = true): number {
    return withAddedTokens ? this.getVocab(true).size : this.model.vocabSize;
  }

  /**
   * Encode a text, or a pair of texts.
   * @example tokenizer.encode('Hello world').ids
   */
  encode(text: string, pair?: string | null, options: EncodeOptions = {}): Encoding {
    const addSpecialTokens = options.addSpecialTokens ?? true;
    const first = this.encodeSingle(text, 0);
    const second = pair === undefined || pair === null ? null : this.encodeSingle(pair, 1);
    const encoding = this.postProcessOne(first, second, addSpecialTokens);
    if (this.paddingParams !== null) padEncodings([encoding], this.paddingParams);
    return encoding;
  }

  /** Encode many inputs; padding (if set) pads them to a common length. */
  encodeBatch(inputs: readonly EncodeInput[], options: EncodeOptions = {}): Encoding[] {
    const addSpecialTokens = options.addSpecialTokens ?? true;
    const encodings = inputs.map((input) =>
      typeof input === 'string'
        ? this.postProcessOne(this.encodeSingle(input, 0), null, addSpecialTokens)
        : this.postProcessOne(this.encodeSingle(input[0], 0), this.encodeSingle(input[1], 1), addSpecialTokens),
    );
    if (this.paddingParams !== null) padEncodings(encodings, this.paddingParams);
    return encodings;
  }

  /** Ids back to text. */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? true;
    const tokens: string[] = [];
    for (const id of ids) {
      const token = this.idToToken(id);
      if (token === undefined || (skip && this.addedVocabulary.isSpecial(token))) continue;
      tokens.push(token);
    }
    return this.decoder === null ? tokens.join(' ') : this.decoder.decodeChain(tokens).join('');
  }

  decodeBatch(batch: ReadonlyArray<readonly number[]>, options: DecodeOptions = {}): string[] {
    return batch.map((ids) => this.decode(ids, options));
  }

  /**
   * Train the model on `texts` (normalized and pre-tokenized by this pipeline) with `trainer`;
   * the trained model replaces the current one and the trainer's special tokens are added.
   * @example await tokenizer.train(lines, new BpeTrainer({ vocabSize: 5000, specialTokens: ['<unk>'] }))
   */
  async train(texts: Iterable<string> | AsyncIterable<string>, trainer: Trainer): Promise<void> {
    const feed = (text: string): void => trainer.feed(this.preTokenizeForTraining(text));
    if (Symbol.asyncIterator in texts) for await (const text of texts) feed(text);
    else for (const text of texts) feed(text);
    const { model, specialTokens } = trainer.train(this.model);
    this.model = model;
    this.addedVocabulary.refresh(this.normalizer);
    this.addSpecialTokens(specialTokens);
  }

  /** The words a trainer counts: normalizer and pre-tokenizer only, as HF trains. */
  private preTokenizeForTraining(text: string): string[] {
    const { preTokenizer } = this;
    if (preTokenizer instanceof ByteLevel && preTokenizer.useRegex && !preTokenizer.addPrefixSpace) {
      return byteLevelWords(this.normalizer === null ? text : this.normalizer.normalize(NormalizedString.from(text)).text);
    }
    const pre = new PreTokenizedString(this.normalizer === null ? NormalizedString.from(text) : this.normalizer.normalize(NormalizedString.from(text)));
    this.preTokenizer?.preTokenize(pre);
    return pre.splits.map((s) => s.normalized.text);
  }

  /** Normalize and pre-tokenize `text` as encode does: the words with their original offsets. */
  preTokenize(text: string): Array<[word: string, offsets: Offsets]> {
    const pre = this.splitWords(text);
    return pre.splits.map((s) => [s.normalized.text, s.normalized.originalRange(0, s.normalized.length)]);
  }

  private splitWords(text: string): PreTokenizedString {
    const pre = this.addedVocabulary.extractAndNormalize(this.normalizer, text);
    this.preTokenizer?.preTokenize(pre);
    return pre;
  }

  private encodeSingle(text: string, typeId: number): Encoding {
    const fast = this.fastPath();
    const fromEnd = this.truncationParams?.direction === 'left';
    const e = fast === null || fromEnd ? this.encodeWords(text) : this.encodeWordsFast(text, fast);
    const n = e.ids.length;
    e.typeIds = new Array<number>(n).fill(typeId);
    e.specialTokensMask = new Array<number>(n).fill(0);
    e.attentionMask = new Array<number>(n).fill(1);
    return e;
  }

  /** The general path: pre-tokenize, then run the model word by word. */
  private encodeWords(text: string): Encoding {
    const splits = this.splitWords(text).splits;
    const limit = this.truncationParams?.maxLength ?? Infinity;
    const fromEnd = this.truncationParams?.direction === 'left';
    const tokenized: Array<readonly Token[]> = [];
    let count = 0;
    for (let k = 0; k < splits.length && count < limit; k++) {
      const split = splits[fromEnd ? splits.length - 1 - k : k] as Split;
      const tokens = split.tokens ?? this.model.tokenize(split.normalized.text);
      tokenized.push(tokens);
      count += tokens.length;
    }
    if (fromEnd) tokenized.reverse();
    const first = splits.length - tokenized.length;
    const e = new Encoding();
    tokenized.forEach((tokens, wordId) => {
      const normalized = (splits[fromEnd ? first + wordId : wordId] as Split).normalized;
      for (const t of tokens) {
        e.ids.push(t.id);
        e.tokens.push(t.value);
        e.offsets.push(normalized.originalRange(t.start, t.end));
        e.wordIds.push(wordId);
      }
    });
    return e;
  }

  /** The GPT-2 family's fused path (same result as `encodeWords`). */
  private encodeWordsFast(text: string, fast: ByteLevelBpeFastPath): Encoding {
    const pre = this.addedVocabulary.extractAndNormalize(this.normalizer, text);
    const limit = this.truncationParams?.maxLength ?? Infinity;
    const e = new Encoding();
    let wordId = 0;
    let count = 0;
    for (const split of pre.splits) {
      if (count >= limit) break;
      if (split.tokens === null) {
        [wordId, count] = fast.encode(split.normalized, e, wordId, count, limit);
        continue;
      }
      for (const t of split.tokens) {
        e.ids.push(t.id);
        e.tokens.push(t.value);
        e.offsets.push(split.normalized.originalRange(t.start, t.end));
        e.wordIds.push(wordId);
      }
      count += split.tokens.length;
      wordId++;
    }
    return e;
  }

  /** The fused path when the pipeline is ByteLevel (regex, no added prefix space) → BPE. */
  private fastPath(): ByteLevelBpeFastPath | null {
    const { preTokenizer, model } = this;
    const eligible = preTokenizer instanceof ByteLevel && preTokenizer.useRegex && !preTokenizer.addPrefixSpace && model instanceof BPE && (model.dropout ?? 0) === 0 && !model.ignoreMerges;
    if (!eligible) return null;
    if (this.fast?.model !== model) this.fast = { model, path: new ByteLevelBpeFastPath(model) };
    return this.fast.path;
  }

  private postProcessOne(encoding: Encoding, pair: Encoding | null, addSpecialTokens: boolean): Encoding {
    const trunc = this.truncationParams;
    if (trunc !== null) {
      const added = addSpecialTokens && this.postProcessor !== null ? this.postProcessor.addedTokens(pair !== null) : 0;
      truncateEncodings(encoding, pair, { ...trunc, maxLength: Math.max(0, trunc.maxLength - added) });
    }
    return postProcess(this.postProcessor, encoding, pair, addSpecialTokens);
  }
}
