/**
 * @lmkit/decoding — model-agnostic text generation over the `@lmkit/tensor` seam: `generate()`
 * (greedy, sampling with every common logits processor, beam search and diverse beam search
 * exactly as Hugging Face's), `stream()`, and `fillMask()` for masked language models. Each
 * logits processor is exported on its own, `(ids, logits) → logits`, to compose by hand.
 */
export { generate, stream } from './generate.js';
export type { GenerateOutput } from './generate.js';
export type { GenerateOptions } from './options.js';
export type { DecodingModel, StepOutput, MaskedLanguageModel } from './model.js';
export { fillMask } from './fill-mask.js';
export type { FillMaskPrediction } from './fill-mask.js';
export { LogitsError } from './errors.js';
export { argmax, multinomial } from './sampler.js';
export type { Sampler } from './sampler.js';
export type { LogitsProcessor } from './processors/processor.js';
export { applyProcessors } from './processors/processor.js';
export { temperature } from './processors/temperature.js';
export { topK } from './processors/top-k.js';
export { topP } from './processors/top-p.js';
export { minP } from './processors/min-p.js';
export { typicalP } from './processors/typical.js';
export { epsilonCutoff } from './processors/epsilon.js';
export { repetitionPenalty } from './processors/repetition-penalty.js';
export { presencePenalty, frequencyPenalty } from './processors/presence-frequency.js';
export { noRepeatNgram } from './processors/no-repeat-ngram.js';
export { badWords } from './processors/bad-words.js';
export { logitBias } from './processors/logit-bias.js';
export { minNewTokens } from './processors/min-new-tokens.js';
export { hammingDiversity } from './processors/hamming-diversity.js';
