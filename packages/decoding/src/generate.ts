/**
 * `generate()` and `stream()`: the public entry points. Both validate the prompt and options,
 * pick the strategy (greedy / sampling, or beam search when `numBeams` > 1) and run the one
 * decoding loop; `generate` collects the result, `stream` yields tokens as they are chosen.
 *
 * Reference: Hugging Face `GenerationMixin.generate` and `TextIteratorStreamer`;
 * transformers.js `generate()`.
 * Porting notes: `sequences` are not padded — each is its prompt followed by its own generated
 * tokens (ending with the EOS token when one ended it). `stream` serves one sequence, greedy or
 * sampled, as HF's streamers do (they reject batches and beam search).
 */
import { ConfigError } from '@lmkit/tensor';
import { BeamSearch } from './beam-search.js';
import { decodeLoop } from './decode-loop.js';
import type { DecodingModel } from './model.js';
import { resolveOptions, type GenerateOptions, type ResolvedOptions } from './options.js';
import { SamplingSearch } from './sampling-search.js';

export interface GenerateOutput {
  /**
   * `[B · numReturnSequences][prompt + generated]`: sequence `b · numReturnSequences + j` is the
   * j-th answer to prompt b (beam search: best first).
   */
  readonly sequences: number[][];
  /**
   * With `outputScores`: beam search, HF's sequence score sum(log p) / length^lengthPenalty;
   * greedy and sampling, the sum of `tokenLogprobs`.
   */
  readonly scores?: number[];
  /**
   * With `outputScores`: the log-probability of each generated token — under the processed
   * distribution it was drawn from (greedy, sampling), or the processed log-probability beam
   * search added to the beam's score (HF's `compute_transition_scores`).
   */
  readonly tokenLogprobs?: number[][];
}

/**
 * Generates continuations of `prompt` (`[T]` or `[B][T]`) with `model`.
 *
 * @example
 * const { sequences } = await generate(model, [1, 2, 3], { maxNewTokens: 50, doSample: true, topP: 0.9, seed: 0 });
 */
export async function generate<S>(model: DecodingModel<S>, prompt: readonly number[] | readonly (readonly number[])[], options: GenerateOptions = {}): Promise<GenerateOutput> {
  const prompts = checkPrompts(prompt);
  const opts = resolveOptions(options);
  checkModel(model, opts);
  const strategy = opts.numBeams > 1 ? new BeamSearch(prompts, opts) : new SamplingSearch(prompts, opts);
  for await (const _ of decodeLoop(model, strategy, opts.signal));
  return strategy.result();
}

/**
 * The tokens of one generated sequence as they are chosen (greedy or sampling). Stop early by
 * breaking out of the loop or aborting `options.signal` (the iterator then throws its reason).
 *
 * @example
 * for await (const token of stream(model, promptIds, { maxNewTokens: 100, eosTokenId: 0 })) process.stdout.write(decode([token]));
 */
export function stream<S>(model: DecodingModel<S>, prompt: readonly number[] | readonly (readonly number[])[], options: GenerateOptions = {}): AsyncIterable<number> {
  const prompts = checkPrompts(prompt);
  if (prompts.length !== 1) throw new ConfigError('prompt', 'one sequence for stream() (use generate() for batches)', `${prompts.length} sequences`);
  const opts = resolveOptions(options);
  if (opts.numBeams > 1) throw new ConfigError('numBeams', '1 for stream() (beams are only final at the end; use generate())', opts.numBeams);
  if (opts.numReturnSequences > 1) throw new ConfigError('numReturnSequences', '1 for stream()', opts.numReturnSequences);
  checkModel(model, opts);
  return (async function* () {
    for await (const chosen of decodeLoop(model, new SamplingSearch(prompts, opts), opts.signal)) {
      for (const { token } of chosen) yield token;
    }
  })();
}

function checkPrompts(prompt: readonly number[] | readonly (readonly number[])[]): number[][] {
  if (!Array.isArray(prompt) || prompt.length === 0) throw new ConfigError('prompt', 'a non-empty array of token ids, or an array of them', prompt);
  const rows = (typeof prompt[0] === 'number' ? [prompt] : prompt) as readonly unknown[];
  return rows.map((row, b) => {
    if (!Array.isArray(row) || row.length === 0 || !row.every((t) => Number.isInteger(t) && t >= 0)) {
      throw new ConfigError(rows.length === 1 ? 'prompt' : `prompt[${b}]`, 'a non-empty array of token ids (integers ≥ 0)', row);
    }
    return [...(row as number[])];
  });
}

function checkModel(model: DecodingModel<unknown>, opts: ResolvedOptions): void {
  if (typeof model !== 'object' || model === null || typeof model.step !== 'function') {
    throw new ConfigError('model', 'an object with step(tokens, state) → { logits, state }', model);
  }
  if (opts.numBeams > 1 && typeof model.reorder !== 'function') {
    throw new ConfigError('numBeams', '1 for a model without reorder(state, rows) (beam search reorders the state)', opts.numBeams);
  }
}
