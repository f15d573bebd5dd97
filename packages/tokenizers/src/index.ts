/**
 * @lmkit/tokenizers — Hugging Face `tokenizers` in TypeScript: normalizer → pre-tokenizer →
 * model → post-processor → decoder, offsets into the original text, padding and truncation,
 * `tokenizer.json` I/O, and trainers for BPE, WordPiece, WordLevel and Unigram.
 */
export { Tokenizer } from './tokenizer.js';
export type { EncodeOptions, DecodeOptions, EncodeInput } from './tokenizer.js';
export { Encoding } from './encoding.js';
export type { Offsets, Direction } from './encoding.js';
export type { AddedToken } from './added-vocabulary.js';
export type { TruncationParams, TruncationStrategy } from './truncation.js';
export type { PaddingParams } from './padding.js';
export { TokenizerError, TokenizerJsonError, TokenizerConfigError, EncodeError } from './errors.js';
export { NormalizedString } from './normalized-string.js';
export { PreTokenizedString } from './pre-tokenized-string.js';
export type { Token, Split as PreTokenizedSplit } from './pre-tokenized-string.js';
export type { SplitDelimiterBehavior } from './split-behavior.js';
export { byteLevelAlphabet } from './byte-level-alphabet.js';

export type { Normalizer, NormalizerStage } from './normalizers/normalizer.js';
export { normalizerFromJson } from './normalizers/from-json.js';
export { UnicodeFormNormalizer } from './normalizers/unicode-form.js';
export type { UnicodeForm } from './normalizers/unicode-form.js';
export { Lowercase } from './normalizers/lowercase.js';
export { Strip } from './normalizers/strip.js';
export { StripAccents } from './normalizers/strip-accents.js';
export { Replace } from './normalizers/replace.js';
export { Prepend } from './normalizers/prepend.js';
export { BertNormalizer } from './normalizers/bert-normalizer.js';
export type { BertNormalizerConfig } from './normalizers/bert-normalizer.js';
export { Precompiled } from './normalizers/precompiled.js';
export { NormalizerSequence } from './normalizers/sequence.js';

export type { PreTokenizer, PreTokenizerStage } from './pre-tokenizers/pre-tokenizer.js';
export { preTokenizerFromJson } from './pre-tokenizers/from-json.js';
export { ByteLevel } from './pre-tokenizers/byte-level.js';
export type { ByteLevelConfig } from './pre-tokenizers/byte-level.js';
export { Whitespace } from './pre-tokenizers/whitespace.js';
export { WhitespaceSplit } from './pre-tokenizers/whitespace-split.js';
export { BertPreTokenizer } from './pre-tokenizers/bert-pre-tokenizer.js';
export { Metaspace } from './pre-tokenizers/metaspace.js';
export type { MetaspaceConfig, PrependScheme } from './pre-tokenizers/metaspace.js';
export { Punctuation } from './pre-tokenizers/punctuation.js';
export { Digits } from './pre-tokenizers/digits.js';
export { Split } from './pre-tokenizers/split.js';
export { CharDelimiterSplit } from './pre-tokenizers/char-delimiter-split.js';
export { UnicodeScripts } from './pre-tokenizers/unicode-scripts.js';
export { PreTokenizerSequence } from './pre-tokenizers/sequence.js';

export type { Model, ModelStage } from './models/model.js';
export { modelFromJson } from './models/from-json.js';
export { BPE } from './models/bpe.js';
export type { BpeConfig } from './models/bpe.js';
export { WordPiece } from './models/word-piece.js';
export type { WordPieceConfig } from './models/word-piece.js';
export { WordLevel } from './models/word-level.js';
export { Unigram } from './models/unigram.js';
export type { UnigramConfig } from './models/unigram.js';

export type { PostProcessor, PostProcessorStage } from './processors/post-processor.js';
export { postProcessorFromJson } from './processors/from-json.js';
export { TemplateProcessing } from './processors/template-processing.js';
export type { TemplatePiece, SpecialTokenSpec } from './processors/template-processing.js';
export { BertProcessing } from './processors/bert-processing.js';
export { RobertaProcessing } from './processors/roberta-processing.js';
export type { RobertaProcessingConfig } from './processors/roberta-processing.js';
export { ByteLevelProcessing } from './processors/byte-level-processing.js';
export { PostProcessorSequence } from './processors/sequence.js';

export type { Decoder, DecoderStage } from './decoders/decoder.js';
export { decoderFromJson } from './decoders/from-json.js';
export { ByteLevelDecoder } from './decoders/byte-level-decoder.js';
export { WordPieceDecoder } from './decoders/word-piece-decoder.js';
export { MetaspaceDecoder } from './decoders/metaspace-decoder.js';
export { BpeDecoder } from './decoders/bpe-decoder.js';
export { ByteFallback } from './decoders/byte-fallback.js';
export { Fuse } from './decoders/fuse.js';
export { StripDecoder } from './decoders/strip-decoder.js';
export { ReplaceDecoder } from './decoders/replace-decoder.js';
export { CTC } from './decoders/ctc.js';
export { DecoderSequence } from './decoders/sequence.js';

export type { Trainer, TrainingProgress, ProgressCallback, CommonTrainerOptions } from './trainers/trainer.js';
export { BpeTrainer } from './trainers/bpe-trainer.js';
export type { BpeTrainerOptions } from './trainers/bpe-trainer.js';
export { WordPieceTrainer } from './trainers/word-piece-trainer.js';
export type { WordPieceTrainerOptions } from './trainers/word-piece-trainer.js';
export { WordLevelTrainer } from './trainers/word-level-trainer.js';
export type { WordLevelTrainerOptions } from './trainers/word-level-trainer.js';
export { UnigramTrainer } from './trainers/unigram-trainer.js';
export type { UnigramTrainerOptions } from './trainers/unigram-trainer.js';
