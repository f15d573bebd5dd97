/**
 * `GenerateOptions`: every knob of `generate()` and `stream()`, with its default, and the one
 * place they are validated and turned into a logits-processor chain.
 *
 * Reference: Hugging Face `GenerationConfig` (names in camelCase) and `_get_logits_processor`
 * (the order processors run in); OpenAI's `presence_penalty`, `frequency_penalty`, `logit_bias`.
 * Porting notes:
 * - An option that would be ignored is an error, not a warning: sampling options (temperature,
 *   top-k, …, seed) need `doSample`, beam options (length penalty, early stopping, groups) need
 *   `numBeams > 1`, `minNewTokens` needs an EOS token, and unknown option names are rejected.
 * - Beam sampling (`doSample` with `numBeams > 1`) is not implemented and is rejected.
 * - `topK` defaults to 0 (off), not HF's 50: sampling draws from the whole distribution unless
 *   asked otherwise.
 */
import { ConfigError, Rng } from '@lmkit/tensor';
import { badWords } from './processors/bad-words.js';
import { epsilonCutoff } from './processors/epsilon.js';
import { logitBias } from './processors/logit-bias.js';
import { minNewTokens } from './processors/min-new-tokens.js';
import { minP } from './processors/min-p.js';
import { noRepeatNgram } from './processors/no-repeat-ngram.js';
import { frequencyPenalty, presencePenalty } from './processors/presence-frequency.js';
import { checkTokenId, type LogitsProcessor } from './processors/processor.js';
import { repetitionPenalty } from './processors/repetition-penalty.js';
import { checkTemperature } from './processors/temperature.js';
import { topP } from './processors/top-p.js';
import { typicalP } from './processors/typical.js';
import { StopStrings } from './stopping.js';
import { SamplingWarpers } from './warpers.js';

export interface GenerateOptions {
  /** Most tokens generated per sequence. Default 20. */
  readonly maxNewTokens?: number;
  /** EOS is masked until this many tokens are generated; needs `eosTokenId`. Default 0. */
  readonly minNewTokens?: number;
  /** Token id(s) that end a sequence (kept as its last token). Default none. */
  readonly eosTokenId?: number | readonly number[];
  /** Strings that end a sequence once its decoded generated text contains one; needs `decode`. */
  readonly stopStrings?: readonly string[];
  /** Token ids → text, for `stopStrings` (e.g. a tokenizer's `decode`). */
  readonly decode?: (ids: number[]) => string;
  /** Sample from the processed distribution instead of taking the argmax. Default false. */
  readonly doSample?: boolean;
  /** Divides the logits (sampling), > 0. Default 1. */
  readonly temperature?: number;
  /** Keep the k most likely tokens (sampling); 0 = off. Default 0. */
  readonly topK?: number;
  /** Nucleus: keep the most likely tokens of mass p (sampling), in (0, 1]. Default 1 (off). */
  readonly topP?: number;
  /** Mask tokens with p < minP · p_max (sampling), in [0, 1]. Default 0 (off). */
  readonly minP?: number;
  /** Locally typical sampling mass, in (0, 1]. Default 1 (off). */
  readonly typicalP?: number;
  /** Mask tokens with p < ε (sampling), in [0, 1); 0 = off. Default 0. */
  readonly epsilonCutoff?: number;
  /** HF/CTRL repetition penalty over prompt and generated tokens, > 0; 1 = off. Default 1. */
  readonly repetitionPenalty?: number;
  /** OpenAI presence penalty over generated tokens, in [−2, 2]. Default 0. */
  readonly presencePenalty?: number;
  /** OpenAI frequency penalty over generated tokens, in [−2, 2]. Default 0. */
  readonly frequencyPenalty?: number;
  /** No n-gram of this size occurs twice in a sequence (prompt included); 0 = off. Default 0. */
  readonly noRepeatNgramSize?: number;
  /** Token sequences never to generate. Default none. */
  readonly badWordsIds?: readonly (readonly number[])[];
  /** Token id → amount added to its logit (−Infinity bans it). Default none. */
  readonly logitBias?: Readonly<Record<number, number>>;
  /** Beam width; 1 = greedy or sampling. Default 1. */
  readonly numBeams?: number;
  /** Beam scores are sum(log p) / length^lengthPenalty (beam search). Default 1. */
  readonly lengthPenalty?: number;
  /** When beam search stops, as HF: true, false (heuristic) or 'never' (exact). Default false. */
  readonly earlyStopping?: boolean | 'never';
  /** Sequences returned per prompt: ≤ numBeams with beams, 1 when greedy. Default 1. */
  readonly numReturnSequences?: number;
  /** Diverse beam search: groups of numBeams / numBeamGroups beams. Default 1. */
  readonly numBeamGroups?: number;
  /** Hamming diversity penalty between beam groups, > 0 when numBeamGroups > 1. Default 0. */
  readonly diversityPenalty?: number;
  /** Seed of the sampling `Rng` (any integer). Default: a random seed. */
  readonly seed?: number;
  /** Extra processors, run after the built-in ones and before the sampling warpers (HF's order). */
  readonly logitsProcessors?: readonly LogitsProcessor[];
  /** Also return `scores` and `tokenLogprobs`. Default false. */
  readonly outputScores?: boolean;
  /** Cancels generation: the promise / iterator rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** Options with defaults filled in, the processor chain built and the stopping criteria ready. */
export interface ResolvedOptions {
  readonly maxNewTokens: number;
  readonly eosTokenIds: readonly number[];
  readonly stopStrings: StopStrings | undefined;
  readonly doSample: boolean;
  readonly numBeams: number;
  readonly numBeamGroups: number;
  readonly diversityPenalty: number;
  readonly lengthPenalty: number;
  readonly earlyStopping: boolean | 'never';
  readonly numReturnSequences: number;
  /** Sampling only. */
  readonly rng: Rng | undefined;
  /** Penalties, bans, custom processors: run in every mode. */
  readonly processors: readonly LogitsProcessor[];
  /** Temperature, top-k, top-p, min-p, typical, ε: sampling only, after `processors`. */
  readonly warpers: SamplingWarpers | undefined;
  readonly outputScores: boolean;
  readonly signal: AbortSignal | undefined;
}

const KNOWN = new Set<string>([
  'maxNewTokens', 'minNewTokens', 'eosTokenId', 'stopStrings', 'decode', 'doSample', 'temperature', 'topK', 'topP',
  'minP', 'typicalP', 'epsilonCutoff', 'repetitionPenalty', 'presencePenalty', 'frequencyPenalty',
  'noRepeatNgramSize', 'badWordsIds', 'logitBias', 'numBeams', 'lengthPenalty', 'earlyStopping',
  'numReturnSequences', 'numBeamGroups', 'diversityPenalty', 'seed', 'logitsProcessors', 'outputScores', 'signal',
]);

/** Sampling-only options and the value at which each does nothing. */
const SAMPLING_ONLY = { temperature: 1, topK: 0, topP: 1, minP: 0, typicalP: 1, epsilonCutoff: 0 } as const;
/** Beam-only options and the value at which each does nothing. */
const BEAM_ONLY = { lengthPenalty: 1, earlyStopping: false, numBeamGroups: 1, diversityPenalty: 0 } as const;

function int(field: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

function bool(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(field, 'true or false', value);
  return value;
}

function tokenIds(field: string, value: number | readonly number[] | undefined): number[] {
  if (value === undefined) return [];
  const ids = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((t) => Number.isInteger(t) && t >= 0)) {
    throw new ConfigError(field, 'a token id or a non-empty array of token ids (integers ≥ 0)', value);
  }
  return [...ids];
}

/** Validates `options` (each error names the option and its allowed range) and fills in defaults. */
export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new ConfigError(key, `a known option (${[...KNOWN].join(', ')})`, 'an unknown option');
  }
  const o = options;
  const maxNewTokens = int('maxNewTokens', o.maxNewTokens, 20, 1);
  const minNew = int('minNewTokens', o.minNewTokens, 0, 0, maxNewTokens);
  const eosTokenIds = tokenIds('eosTokenId', o.eosTokenId);
  const doSample = bool('doSample', o.doSample, false);
  const numBeams = int('numBeams', o.numBeams, 1, 1);
  const numReturnSequences = int('numReturnSequences', o.numReturnSequences, 1, 1);
  const outputScores = bool('outputScores', o.outputScores, false);

  if (minNew > 0 && eosTokenIds.length === 0) throw new ConfigError('minNewTokens', '0 unless eosTokenId is set (it only delays EOS)', minNew);

  let stopStrings: StopStrings | undefined;
  if (o.stopStrings !== undefined) {
    if (!Array.isArray(o.stopStrings) || o.stopStrings.length === 0 || !o.stopStrings.every((s) => typeof s === 'string' && s.length > 0)) {
      throw new ConfigError('stopStrings', 'a non-empty array of non-empty strings', o.stopStrings);
    }
    if (typeof o.decode !== 'function') throw new ConfigError('decode', 'a function (ids) => string, needed by stopStrings', o.decode);
    stopStrings = new StopStrings([...o.stopStrings], o.decode);
  } else if (o.decode !== undefined) {
    throw new ConfigError('decode', 'undefined unless stopStrings is set (it is only used to match them)', 'a value');
  }

  // Options that only act in one mode are errors in the other, rather than silently ignored.
  if (!doSample) {
    for (const [key, neutral] of Object.entries(SAMPLING_ONLY)) {
      const value = o[key as keyof typeof SAMPLING_ONLY];
      if (value !== undefined && value !== neutral) throw new ConfigError(key, `${neutral} unless doSample is true (it only affects sampling)`, value);
    }
    if (o.seed !== undefined) throw new ConfigError('seed', 'undefined unless doSample is true (it only seeds sampling)', o.seed);
  }
  if (numBeams === 1) {
    for (const [key, neutral] of Object.entries(BEAM_ONLY)) {
      const value = o[key as keyof typeof BEAM_ONLY];
      if (value !== undefined && value !== neutral) throw new ConfigError(key, `${neutral} unless numBeams > 1 (it only affects beam search)`, value);
    }
    if (!doSample && numReturnSequences > 1) {
      throw new ConfigError('numReturnSequences', 'at most numBeams (1): greedy decoding has one answer; use numBeams or doSample', numReturnSequences);
    }
  } else {
    if (doSample) throw new ConfigError('doSample', 'false when numBeams > 1 (beam sampling is not supported)', doSample);
    if (numReturnSequences > numBeams) throw new ConfigError('numReturnSequences', `at most numBeams (${numBeams})`, numReturnSequences);
  }

  const numBeamGroups = int('numBeamGroups', o.numBeamGroups, 1, 1, numBeams);
  if (numBeams % numBeamGroups !== 0) throw new ConfigError('numBeamGroups', `a divisor of numBeams (${numBeams})`, numBeamGroups);
  const diversityPenalty = o.diversityPenalty ?? 0;
  if (typeof diversityPenalty !== 'number' || !Number.isFinite(diversityPenalty) || diversityPenalty < 0) {
    throw new ConfigError('diversityPenalty', 'a finite number ≥ 0', diversityPenalty);
  }
  if (numBeamGroups > 1 && diversityPenalty === 0) {
    throw new ConfigError('diversityPenalty', 'a number > 0 when numBeamGroups > 1 (otherwise every group finds the same beams)', diversityPenalty);
  }
  if (diversityPenalty > 0 && numBeamGroups === 1) throw new ConfigError('diversityPenalty', '0 unless numBeamGroups > 1', diversityPenalty);
  const lengthPenalty = o.lengthPenalty ?? 1;
  if (typeof lengthPenalty !== 'number' || !Number.isFinite(lengthPenalty)) throw new ConfigError('lengthPenalty', 'a finite number', lengthPenalty);
  const earlyStopping = o.earlyStopping ?? false;
  if (earlyStopping !== true && earlyStopping !== false && earlyStopping !== 'never') {
    throw new ConfigError('earlyStopping', "true, false or 'never'", earlyStopping);
  }

  let rng: Rng | undefined;
  if (doSample) {
    const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
    if (!Number.isInteger(seed)) throw new ConfigError('seed', 'an integer', seed);
    rng = new Rng(seed);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new ConfigError('signal', 'an AbortSignal', o.signal);

  return {
    maxNewTokens,
    eosTokenIds,
    stopStrings,
    doSample,
    numBeams,
    numBeamGroups,
    diversityPenalty,
    lengthPenalty,
    earlyStopping,
    numReturnSequences,
    rng,
    processors: processorChain(o, minNew, eosTokenIds),
    warpers: doSample ? samplingWarpers(o) : undefined,
    outputScores,
    signal: o.signal,
  };
}

/** Checks the EOS ids against the vocabulary size, once the first logits tell it. */
export function checkVocabulary(options: ResolvedOptions, vocabSize: number): void {
  for (const id of options.eosTokenIds) checkTokenId('eosTokenId', id, vocabSize);
}

/** The mode-independent processors, in Hugging Face's order, then the user's. */
function processorChain(o: GenerateOptions, minNew: number, eos: readonly number[]): LogitsProcessor[] {
  const chain: LogitsProcessor[] = [];
  if (o.logitBias !== undefined) chain.push(logitBias(o.logitBias));
  if ((o.repetitionPenalty ?? 1) !== 1) chain.push(repetitionPenalty(o.repetitionPenalty!));
  if ((o.presencePenalty ?? 0) !== 0) chain.push(presencePenalty(o.presencePenalty!));
  if ((o.frequencyPenalty ?? 0) !== 0) chain.push(frequencyPenalty(o.frequencyPenalty!));
  const ngram = int('noRepeatNgramSize', o.noRepeatNgramSize, 0, 0);
  if (ngram > 0) chain.push(noRepeatNgram(ngram));
  if (o.badWordsIds !== undefined) chain.push(badWords(o.badWordsIds));
  if (minNew > 0) chain.push(minNewTokens(minNew, eos));
  if (o.logitsProcessors !== undefined) {
    if (!Array.isArray(o.logitsProcessors) || !o.logitsProcessors.every((p) => typeof p === 'function')) {
      throw new ConfigError('logitsProcessors', 'an array of functions (ids, logits, promptLength) => logits', o.logitsProcessors);
    }
    chain.push(...o.logitsProcessors);
  }
  return chain;
}

/** The sampling warpers, in Hugging Face's order (temperature first, ε last). */
function samplingWarpers(o: GenerateOptions): SamplingWarpers {
  const t = checkTemperature(o.temperature ?? 1);
  const k = int('topK', o.topK, 0, 0);
  const rest: LogitsProcessor[] = [];
  if ((o.topP ?? 1) !== 1) rest.push(topP(o.topP!));
  if ((o.minP ?? 0) !== 0) rest.push(minP(o.minP!));
  if ((o.typicalP ?? 1) !== 1) rest.push(typicalP(o.typicalP!));
  if ((o.epsilonCutoff ?? 0) !== 0) rest.push(epsilonCutoff(o.epsilonCutoff!));
  return new SamplingWarpers(t, k, rest);
}
