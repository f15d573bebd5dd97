/**
 * Beam search, and diverse (group) beam search: each prompt keeps `numBeams` live beams scored by
 * the sum of their (processed) token log-probabilities; finished beams go to an n-best list of
 * hypotheses; the best `numReturnSequences` hypotheses are returned.
 *
 * Reference: Hugging Face transformers `_beam_search` / `_group_beam_search` with
 * `BeamSearchScorer.process` / `finalize` (generation/utils.py, beam_search.py): per step,
 * log_softmax → processors → + beam score → top max(2, 1 + #EOS) · groupSize candidates; in rank
 * order an EOS candidate becomes a hypothesis if its rank < groupSize, any other becomes a beam
 * until groupSize beams are found; a group is done when `BeamHypotheses.isDone`. Groups run in
 * order, each penalised (Hamming diversity) by the tokens earlier groups chose this step.
 * Porting notes:
 * - The first step feeds each prompt once and expands it with `model.reorder`, instead of
 *   running numBeams copies with scores [0, −1e9, …]; candidates that are masked (−∞) are never
 *   taken, so when the vocabulary is too small to fill the beams a group runs with fewer beams
 *   rather than with HF's −1e9 placeholder beams.
 * - Finished prompts and groups leave the batch (`reorder` drops their rows) instead of being fed
 *   pad tokens; a finished group adds no diversity penalty (HF counts its pad tokens).
 * - Hypotheses keep the EOS token that ended them (HF appends `eos_token_id[0]`), sequences are
 *   not padded, and a stop string ends a beam like an EOS token (HF stops only when every beam
 *   matched).
 */
import { LmkitError } from '@lmkit/tensor';
import { BeamHypotheses, type Hypothesis } from './beam-hypotheses.js';
import type { ChosenToken, Strategy } from './decode-loop.js';
import type { GenerateOutput } from './generate.js';
import { checkVocabulary, type ResolvedOptions } from './options.js';
import { hammingDiversity } from './processors/hamming-diversity.js';
import { applyProcessors, logSumExp } from './processors/processor.js';
import { TopCandidates } from './top-candidates.js';

interface Beam {
  /** The row of the current state (and logits) this beam continues. */
  readonly row: number;
  /** Prompt + generated tokens. */
  readonly ids: number[];
  /** Sum of the processed log-probabilities of the generated tokens. */
  readonly score: number;
  readonly logprobs: number[] | undefined;
}

/** One prompt's beam group: its live beams and its finished hypotheses. */
interface Group {
  readonly prompt: number;
  readonly promptLength: number;
  readonly hypotheses: BeamHypotheses;
  beams: Beam[];
  done: boolean;
}

export class BeamSearch implements Strategy {
  done = false;
  private readonly groups: Group[] = [];
  private readonly groupSize: number;
  private readonly candidates = new TopCandidates();
  private scratch = new Float32Array(0);
  private reorderRows: number[] | undefined;
  private started = false;
  private output: GenerateOutput | undefined;

  constructor(
    private readonly prompts: readonly number[][],
    private readonly options: ResolvedOptions,
  ) {
    const { numBeams, numBeamGroups, lengthPenalty, earlyStopping, maxNewTokens } = options;
    this.groupSize = numBeams / numBeamGroups;
    prompts.forEach((prompt, b) => {
      for (let g = 0; g < numBeamGroups; g++) {
        this.groups.push({
          prompt: b,
          promptLength: prompt.length,
          hypotheses: new BeamHypotheses(this.groupSize, lengthPenalty, earlyStopping, maxNewTokens),
          // Every group starts from the prompt, state row b of the first step.
          beams: [{ row: b, ids: [...prompt], score: 0, logprobs: options.outputScores ? [] : undefined }],
          done: false,
        });
      }
    });
  }

  input(): number[][] {
    if (!this.started) {
      this.started = true;
      return this.prompts.map((p) => [...p]);
    }
    return this.live().flatMap((g) => g.beams.map((beam) => [beam.ids[beam.ids.length - 1]!]));
  }

  advance(logits: Float32Array, V: number, step: number): ChosenToken[] {
    const rows = logits.length / V;
    if (step === 1) checkVocabulary(this.options, V);
    // Scores are log-probabilities: log_softmax each row once, in place.
    for (let r = 0; r < rows; r++) {
      const row = logits.subarray(r * V, (r + 1) * V); // [V]
      const logZ = logSumExp(row);
      for (let t = 0; t < V; t++) row[t]! -= logZ;
    }
    if (this.scratch.length !== V) this.scratch = new Float32Array(V);
    let chosenByPrompt: number[] = [];
    let prompt = -1;
    for (const group of this.groups) {
      if (group.prompt !== prompt) {
        prompt = group.prompt;
        chosenByPrompt = [];
      }
      if (group.done) continue;
      this.advanceGroup(group, logits, V, step, chosenByPrompt);
      for (const beam of group.beams) chosenByPrompt.push(beam.ids[beam.ids.length - 1]!);
    }
    if (step >= this.options.maxNewTokens || this.groups.every((g) => g.done)) {
      this.done = true;
      this.output = this.finalize(step);
      return [];
    }
    // The next rows are the live beams in group order; each continues its parent's row.
    const next = this.live().flatMap((g) => g.beams);
    const parents = next.map((beam) => beam.row);
    this.reorderRows = parents.every((p, i) => p === i) && parents.length === rows ? undefined : parents;
    let r = 0;
    for (const group of this.live()) group.beams = group.beams.map((beam) => ({ ...beam, row: r++ }));
    return [];
  }

  takeReorder(): number[] | undefined {
    const rows = this.reorderRows;
    this.reorderRows = undefined;
    return rows;
  }

  /** The returned sequences; valid once `done`. */
  result(): GenerateOutput {
    if (this.output === undefined) throw new LmkitError('BeamSearch.result() before the search is done');
    return this.output;
  }

  private live(): Group[] {
    return this.groups.filter((g) => !g.done);
  }

  /** One step of one group: HF's candidate selection and `BeamSearchScorer.process`. */
  private advanceGroup(group: Group, logits: Float32Array, V: number, step: number, chosenEarlier: readonly number[]): void {
    const { eosTokenIds, stopStrings, diversityPenalty, processors, outputScores } = this.options;
    const chain = chosenEarlier.length > 0 && diversityPenalty > 0 ? [hammingDiversity(diversityPenalty, chosenEarlier), ...processors] : processors;
    this.candidates.reset(Math.max(2, 1 + eosTokenIds.length) * this.groupSize);
    group.beams.forEach((beam, k) => {
      this.scratch.set(logits.subarray(beam.row * V, (beam.row + 1) * V));
      this.candidates.offer(k, beam.score, applyProcessors(chain, beam.ids, this.scratch, group.promptLength));
    });
    const ranked = this.candidates.sorted(V);
    const beams: Beam[] = [];
    for (let rank = 0; rank < ranked.length && beams.length < this.groupSize; rank++) {
      const { beam: k, token, score, logprob } = ranked[rank]!;
      const parent = group.beams[k]!;
      const ids = [...parent.ids, token];
      const logprobs = outputScores ? [...parent.logprobs!, logprob] : undefined;
      const ends = eosTokenIds.includes(token) || (stopStrings?.matches(ids.slice(group.promptLength)) ?? false);
      if (!ends) beams.push({ row: parent.row, ids, score, logprobs });
      else if (rank < this.groupSize) group.hypotheses.add(ids, score, step, logprobs);
    }
    group.beams = beams;
    const best = ranked[0];
    group.done = beams.length === 0 || (best !== undefined && group.hypotheses.isDone(best.score, step));
  }

  /** HF's `finalize`: open beams join the hypotheses; the best of each prompt are returned. */
  private finalize(step: number): GenerateOutput {
    for (const group of this.live()) {
      for (const beam of group.beams) group.hypotheses.add(beam.ids, beam.score, step, beam.logprobs);
    }
    const { numReturnSequences, outputScores } = this.options;
    const best: Hypothesis[] = [];
    this.prompts.forEach((_, b) => {
      // Stable ascending sort, best taken from the end: among equal scores the last added wins, as HF.
      const all = this.groups.filter((g) => g.prompt === b).flatMap((g) => g.hypotheses.beams);
      const sorted = [...all].sort((x, y) => x.score - y.score);
      if (sorted.length < numReturnSequences) {
        throw new LmkitError(
          `numReturnSequences: prompt ${b} has only ${sorted.length} distinct sequences within maxNewTokens, fewer than the ${numReturnSequences} asked for`,
        );
      }
      for (let j = 0; j < numReturnSequences; j++) best.push(sorted.pop()!);
    });
    const sequences = best.map((h) => h.ids);
    if (!outputScores) return { sequences };
    return { sequences, scores: best.map((h) => h.score), tokenLogprobs: best.map((h) => h.logprobs!) };
  }
}
