/**
 * Greedy decoding and multinomial sampling: every row runs the processor chain on its logits and
 * picks one token (argmax, or a draw with the seeded `Rng`), until EOS, a stop string or the
 * token budget ends it.
 *
 * Reference: Hugging Face `GenerationMixin._sample` (greedy is `do_sample=False`).
 * Porting notes: rows are not padded — a finished row is fed its last token again and its logits
 * are ignored (HF feeds a pad token); with `numReturnSequences` > 1 each prompt is repeated that
 * many times in a row, as HF's `_expand_inputs_for_generation`.
 */
import type { ChosenToken, Strategy } from './decode-loop.js';
import { LogitsError } from './errors.js';
import type { GenerateOutput } from './generate.js';
import { checkVocabulary, type ResolvedOptions } from './options.js';
import { applyProcessors, logSumExp } from './processors/processor.js';
import { argmax, multinomial, type Sampler } from './sampler.js';

interface Row {
  readonly ids: number[];
  readonly promptLength: number;
  readonly logprobs: number[];
  finished: boolean;
}

export class SamplingSearch implements Strategy {
  done = false;
  private readonly rows: Row[] = [];
  private readonly sampler: Sampler;
  private started = false;

  constructor(
    prompts: readonly number[][],
    private readonly options: ResolvedOptions,
  ) {
    for (const prompt of prompts) {
      for (let j = 0; j < options.numReturnSequences; j++) {
        this.rows.push({ ids: [...prompt], promptLength: prompt.length, logprobs: [], finished: false });
      }
    }
    this.sampler = options.rng !== undefined ? multinomial(options.rng) : argmax;
  }

  input(): number[][] {
    if (!this.started) {
      this.started = true;
      return this.rows.map((r) => r.ids.slice());
    }
    return this.rows.map((r) => [r.ids[r.ids.length - 1]!]);
  }

  advance(logits: Float32Array, V: number, step: number): ChosenToken[] {
    const { eosTokenIds, stopStrings, outputScores, maxNewTokens, processors, warpers } = this.options;
    const chosen: ChosenToken[] = [];
    if (step === 1) checkVocabulary(this.options, V);
    this.rows.forEach((r, index) => {
      if (r.finished) return;
      const row = applyProcessors(processors, r.ids, logits.subarray(index * V, (index + 1) * V), r.promptLength); // [V]
      // Sampling draws from the warped row's unmasked tokens only; greedy takes the dense argmax.
      const { values, index: tokenOf } = warpers !== undefined ? warpers.apply(r.ids, row, r.promptLength) : { values: row, index: undefined };
      const j = this.sampler(values);
      if (j < 0) throw new LogitsError(`step ${step}, row ${index}`, 'every token is masked after the logits processors');
      const token = tokenOf === undefined ? j : tokenOf[j]!;
      if (outputScores) r.logprobs.push(values[j]! - logSumExp(values));
      r.ids.push(token);
      chosen.push({ row: index, token });
      if (eosTokenIds.includes(token) || stopStrings?.matches(r.ids.slice(r.promptLength))) r.finished = true;
    });
    this.done = step >= maxNewTokens || this.rows.every((r) => r.finished);
    return chosen;
  }

  takeReorder(): undefined {
    return undefined;
  }

  result(): GenerateOutput {
    const sequences = this.rows.map((r) => r.ids);
    if (!this.options.outputScores) return { sequences };
    const tokenLogprobs = this.rows.map((r) => r.logprobs);
    return { sequences, scores: tokenLogprobs.map((lp) => lp.reduce((a, b) => a + b, 0)), tokenLogprobs };
  }
}
