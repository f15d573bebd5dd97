import { LmkitError } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { generate } from './generate.js';
import { hashTable, TableModel, type Table } from './testing/toy-models.js';

const f32 = Math.fround;

/** log_softmax of log(table(prefix)) in float32, as the model's float32 logits give it. */
function logProbs(table: Table, ids: readonly number[]): number[] {
  const logits = table(ids).map((p) => f32(Math.log(p)));
  const max = Math.max(...logits);
  const logZ = max + Math.log(logits.reduce((s, x) => s + Math.exp(x - max), 0));
  return logits.map((x) => f32(x - logZ));
}

interface Config {
  readonly numBeams: number;
  readonly numBeamGroups?: number;
  readonly diversityPenalty?: number;
  readonly lengthPenalty: number;
  readonly earlyStopping: boolean | 'never';
  readonly eos: readonly number[];
  readonly maxNewTokens: number;
  readonly numReturnSequences: number;
  readonly repetitionPenalty?: number;
}

interface HfHyp {
  score: number;
  ids: number[];
}

/**
 * Hugging Face's BeamHypotheses (transformers generation/beam_search.py), ported line by line.
 */
class HfBeamHypotheses {
  beams: HfHyp[] = [];
  worstScore = 1e9;
  constructor(readonly numBeams: number, readonly lengthPenalty: number, readonly earlyStopping: boolean | 'never', readonly maxLength: number) {}

  add(hyp: number[], sumLogprobs: number, generatedLen: number): void {
    const score = sumLogprobs / generatedLen ** this.lengthPenalty;
    if (this.beams.length < this.numBeams || score > this.worstScore) {
      this.beams.push({ score, ids: hyp });
      if (this.beams.length > this.numBeams) {
        const sortedNextScores = this.beams.map((b, idx) => [b.score, idx] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.beams.splice(sortedNextScores[0]![1], 1);
        this.worstScore = sortedNextScores[1]![0];
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  isDone(bestSumLogprobs: number, curLen: number, decoderPromptLen: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    if (this.earlyStopping === false) {
      return this.worstScore >= bestSumLogprobs / (curLen - decoderPromptLen) ** this.lengthPenalty;
    }
    const highest = this.lengthPenalty > 0
      ? bestSumLogprobs / (this.maxLength - decoderPromptLen) ** this.lengthPenalty
      : bestSumLogprobs / (curLen - decoderPromptLen) ** this.lengthPenalty;
    return this.worstScore >= highest;
  }
}

/**
 * Hugging Face's `_group_beam_search` (which is `_beam_search` when numBeamGroups = 1) with
 * `BeamSearchScorer.process` / `finalize` and `HammingDiversityLogitsProcessor`, step by step on
 * plain arrays: numBeams rows per prompt, scores [0, −1e9, …] per group, top
 * max(2, 1 + #EOS) · groupSize candidates, EOS candidates ranked < groupSize become hypotheses.
 * Two documented differences of lmkit are mirrored so the outputs compare: a hypothesis keeps the
 * EOS that ended it (HF appends eos_token_id[0]), and a group finished at an earlier step adds no
 * diversity penalty (HF counts the pad tokens it is fed).
 */
function hfBeamSearch(table: Table, prompts: number[][], cfg: Config): { sequences: number[][]; scores: number[] } {
  const B = prompts.length;
  const K = cfg.numBeams;
  const G = cfg.numBeamGroups ?? 1;
  const gs = K / G;
  const L = prompts[0]!.length; // decoder_prompt_len (equal-length prompts)
  const maxLength = L + cfg.maxNewTokens;
  const nEos = cfg.eos.length;
  let inputIds = prompts.flatMap((p) => Array.from({ length: K }, () => [...p]));
  const beamScores: number[] = Array.from({ length: B * K }, (_, i) => ((i % K) % gs === 0 ? 0 : -1e9));
  const hyps = Array.from({ length: B * G }, () => new HfBeamHypotheses(gs, cfg.lengthPenalty, cfg.earlyStopping, maxLength));
  const done = Array.from({ length: B * G }, () => false);
  const ended = new Map<HfHyp['ids'], number>(); // the EOS each EOS-ended hypothesis chose
  let curLen = L;
  for (;;) {
    const logits = inputIds.map((ids) => logProbs(table, ids));
    const doneBefore = [...done]; // groups finished at an earlier step feed HF pad tokens
    const currentTokens = new Array<number>(B * K).fill(0);
    const nextInputIds = inputIds.map((r) => [...r]);
    for (let g = 0; g < G; g++) {
      const groupRows: number[] = [];
      for (let b = 0; b < B; b++) for (let idx = g * gs; idx < (g + 1) * gs; idx++) groupRows.push(b * K + idx);
      const scores = groupRows.map((row) => {
        // HF's processor order: HammingDiversity, then RepetitionPenalty.
        const s = [...logits[row]!];
        const b = Math.floor(row / K);
        if (g > 0) {
          for (let prev = b * K; prev < b * K + g * gs; prev++) {
            if (doneBefore[b * G + Math.floor((prev - b * K) / gs)]) continue;
            const t = currentTokens[prev]!;
            s[t] = f32(s[t]! - cfg.diversityPenalty!);
          }
        }
        if (cfg.repetitionPenalty !== undefined) {
          for (const t of new Set(inputIds[row]!)) s[t] = f32(s[t]! < 0 ? s[t]! * cfg.repetitionPenalty : s[t]! / cfg.repetitionPenalty);
        }
        return s.map((x) => x + beamScores[row]!);
      });
      for (let b = 0; b < B; b++) {
        const bg = b * G + g;
        const flat: { score: number; token: number; index: number }[] = [];
        for (let j = 0; j < gs; j++) scores[b * gs + j]!.forEach((score, token) => flat.push({ score, token, index: j }));
        flat.sort((x, y) => y.score - x.score);
        const top = flat.slice(0, Math.max(2, 1 + nEos) * gs);
        const next: { score: number; token: number; index: number }[] = [];
        if (done[bg]) {
          for (let j = 0; j < gs; j++) next.push({ score: 0, token: 0, index: 0 });
        } else {
          for (let rank = 0; rank < top.length; rank++) {
            const c = top[rank]!;
            const src = groupRows[b * gs + c.index]!;
            if (cfg.eos.includes(c.token)) {
              if (rank >= gs) continue;
              const hyp = [...inputIds[src]!];
              ended.set(hyp, c.token);
              hyps[bg]!.add(hyp, c.score, curLen + 1 - L);
            } else {
              next.push(c);
            }
            if (next.length === gs) break;
          }
          done[bg] = done[bg]! || hyps[bg]!.isDone(top[0]!.score, curLen + 1, L);
        }
        next.forEach((c, j) => {
          const row = b * K + g * gs + j;
          const src = groupRows[b * gs + c.index]!;
          beamScores[row] = c.score;
          nextInputIds[row] = [...inputIds[src]!, c.token];
          currentTokens[row] = c.token;
        });
      }
    }
    inputIds = nextInputIds;
    curLen++;
    if (done.every(Boolean) || curLen >= maxLength) break;
  }
  for (let bg = 0; bg < B * G; bg++) {
    if (done[bg]) continue;
    const b = Math.floor(bg / G);
    const g = bg % G;
    for (let j = 0; j < gs; j++) {
      const row = b * K + g * gs + j;
      hyps[bg]!.add(inputIds[row]!, beamScores[row]!, inputIds[row]!.length - L);
    }
  }
  const sequences: number[][] = [];
  const scores: number[] = [];
  for (let b = 0; b < B; b++) {
    const candidates = hyps.slice(b * G, (b + 1) * G).flatMap((h) => h.beams);
    const sorted = [...candidates].sort((x, y) => x.score - y.score);
    for (let j = 0; j < cfg.numReturnSequences; j++) {
      const best = sorted.pop()!;
      const eos = ended.get(best.ids);
      sequences.push(eos === undefined ? best.ids : [...best.ids, eos]);
      scores.push(best.score);
    }
  }
  return { sequences, scores };
}

/** Every complete sequence (ended by EOS, or maxNewTokens long) with its length-normalised score. */
function bruteForce(table: Table, prompt: number[], eos: readonly number[], maxNewTokens: number, lengthPenalty: number): HfHyp[] {
  const out: HfHyp[] = [];
  const walk = (ids: number[], sum: number, generated: number) => {
    logProbs(table, ids).forEach((lp, token) => {
      const next = [...ids, token];
      if (eos.includes(token) || generated + 1 === maxNewTokens) out.push({ ids: next, score: (sum + lp) / (generated + 1) ** lengthPenalty });
      else walk(next, sum + lp, generated + 1);
    });
  };
  walk(prompt, 0, 0);
  return out.sort((a, b) => b.score - a.score);
}

async function lmkit(table: Table, prompts: number[][], cfg: Config) {
  return generate(new TableModel(table), prompts, {
    numBeams: cfg.numBeams,
    ...(cfg.numBeamGroups !== undefined ? { numBeamGroups: cfg.numBeamGroups, diversityPenalty: cfg.diversityPenalty } : {}),
    lengthPenalty: cfg.lengthPenalty,
    earlyStopping: cfg.earlyStopping,
    eosTokenId: [...cfg.eos],
    maxNewTokens: cfg.maxNewTokens,
    numReturnSequences: cfg.numReturnSequences,
    ...(cfg.repetitionPenalty !== undefined ? { repetitionPenalty: cfg.repetitionPenalty } : {}),
    outputScores: true,
  });
}

describe('beam search: exhaustive beams equal brute force', () => {
  // V = 3 with EOS 2 and 4 new tokens: 15 EOS-ended and 16 full-length sequences per prompt; 24
  // beams never prune a live prefix (at most 8 · 3 candidates per step).
  const table = hashTable(3, 11, [2], 0.3);
  const prompts = [[0], [1, 0, 1]];

  for (const [lengthPenalty, earlyStopping] of [[1, 'never'], [2, 'never'], [0, false], [-0.5, 'never'], [0.5, false]] as const) {
    it(`returns the best sequences and scores (lengthPenalty ${lengthPenalty}, earlyStopping ${earlyStopping})`, async () => {
      const out = await lmkit(table, prompts, { numBeams: 24, lengthPenalty, earlyStopping, eos: [2], maxNewTokens: 4, numReturnSequences: 6 });
      prompts.forEach((prompt, b) => {
        const want = bruteForce(table, prompt, [2], 4, lengthPenalty).slice(0, 6);
        expect(out.sequences.slice(b * 6, b * 6 + 6)).toEqual(want.map((h) => h.ids));
        out.scores!.slice(b * 6, b * 6 + 6).forEach((s, j) => expect(s).toBeCloseTo(want[j]!.score, 5));
      });
    });
  }

  it('the search space is not trivial: the best sequences differ by length penalty', () => {
    const short = bruteForce(table, [0], [2], 4, -0.5)[0]!.ids;
    const long = bruteForce(table, [0], [2], 4, 2)[0]!.ids;
    expect(short).not.toEqual(long);
  });
});

describe("beam search: narrow beams follow Hugging Face's scorer step by step", () => {
  const eos1 = [9];
  const eos2 = [9, 4];
  const configs: Config[] = [];
  for (const earlyStopping of [true, false, 'never'] as const) {
    for (const lengthPenalty of [1, 0, 2, -1]) {
      configs.push({ numBeams: 3, lengthPenalty, earlyStopping, eos: eos1, maxNewTokens: 7, numReturnSequences: 2 });
    }
    configs.push({ numBeams: 2, lengthPenalty: 1.5, earlyStopping, eos: eos2, maxNewTokens: 6, numReturnSequences: 2 });
    configs.push({ numBeams: 4, lengthPenalty: 1, earlyStopping, eos: eos1, maxNewTokens: 8, numReturnSequences: 4, repetitionPenalty: 1.3 });
  }
  const prompts = [[1, 2], [3, 5], [7, 7]];

  for (const [i, cfg] of configs.entries()) {
    it(`config ${i}: ${cfg.numBeams} beams, lengthPenalty ${cfg.lengthPenalty}, earlyStopping ${cfg.earlyStopping}, EOS ${cfg.eos}`, async () => {
      for (const seed of [1, 2, 3]) {
        const table = hashTable(10, seed * 31 + i, cfg.eos, 0.08);
        const want = hfBeamSearch(table, prompts, cfg);
        const got = await lmkit(table, prompts, cfg);
        expect(got.sequences).toEqual(want.sequences);
        got.scores!.forEach((s, j) => expect(s).toBeCloseTo(want.scores[j]!, 5));
      }
    });
  }

  it('early stopping modes and length penalties change the answers on these tables', () => {
    const answers = new Set<string>();
    for (const cfg of configs.filter((c) => c.numBeams === 3)) {
      for (const seed of [1, 2, 3]) answers.add(JSON.stringify(hfBeamSearch(hashTable(10, seed, eos1, 0.08), prompts, cfg).sequences));
    }
    expect(answers.size).toBeGreaterThan(6);
  });

  it('diverse (group) beam search follows HF with Hamming diversity', async () => {
    for (const [seed, earlyStopping] of [[1, false], [2, true], [3, 'never']] as const) {
      const cfg: Config = { numBeams: 4, numBeamGroups: 2, diversityPenalty: 0.7, lengthPenalty: 1, earlyStopping, eos: eos1, maxNewTokens: 6, numReturnSequences: 3 };
      const table = hashTable(10, seed, eos1, 0.05);
      const want = hfBeamSearch(table, prompts, cfg);
      const got = await lmkit(table, prompts, cfg);
      expect(got.sequences).toEqual(want.sequences);
      got.scores!.forEach((s, j) => expect(s).toBeCloseTo(want.scores[j]!, 5));
    }
  });

  it('the diversity penalty makes groups pick different first tokens', async () => {
    const table = hashTable(10, 4);
    const plain = await lmkit(table, [[1, 2]], { numBeams: 4, lengthPenalty: 1, earlyStopping: false, eos: eos1, maxNewTokens: 3, numReturnSequences: 4 });
    const diverse = await lmkit(table, [[1, 2]], { numBeams: 4, numBeamGroups: 4, diversityPenalty: 100, lengthPenalty: 1, earlyStopping: false, eos: eos1, maxNewTokens: 3, numReturnSequences: 4 });
    expect(new Set(diverse.sequences.map((s) => s[2])).size).toBe(4);
    expect(new Set(plain.sequences.map((s) => s[2])).size).toBeLessThan(4);
  });
});

describe('beam search: bookkeeping', () => {
  it('feeds each prompt once, then expands it with reorder, and drops finished prompts', async () => {
    const table = hashTable(6, 3, [5], 0.5);
    const model = new TableModel(table);
    await generate(model, [[1], [2, 3]], { numBeams: 2, eosTokenId: 5, maxNewTokens: 6, earlyStopping: true });
    expect(model.calls[0]).toEqual([[1], [2, 3]]);
    expect(model.reorders[0]).toEqual([0, 0, 1, 1]);
    expect(model.calls[1]!.every((t) => t.length === 1)).toBe(true);
    expect(model.calls.at(-1)!.length).toBeLessThanOrEqual(4);
    expect(model.released).toBe(1);
  });

  it('tokenLogprobs sum to the beam score times length^lengthPenalty', async () => {
    const out = await generate(new TableModel(hashTable(8, 2, [7], 0.1)), [3], { numBeams: 3, eosTokenId: 7, maxNewTokens: 5, lengthPenalty: 2, numReturnSequences: 3, outputScores: true });
    out.sequences.forEach((seq, j) => {
      const lps = out.tokenLogprobs![j]!;
      expect(lps.length).toBe(seq.length - 1);
      expect(lps.reduce((a, b) => a + b, 0) / lps.length ** 2).toBeCloseTo(out.scores![j]!, 6);
    });
  });

  it('a vocabulary too small to fill the beams gives fewer beams, not placeholder ones', async () => {
    const table = hashTable(2, 1, [1], 0);
    const two = await generate(new TableModel(table), [0], { numBeams: 2, eosTokenId: 1, maxNewTokens: 1, numReturnSequences: 2, outputScores: true });
    expect(two.sequences.map((s) => s.slice(1)).sort()).toEqual([[0], [1]]);
    expect(two.scores!.every((s) => s > -50)).toBe(true);
    await expect(generate(new TableModel(table), [0], { numBeams: 3, eosTokenId: 1, maxNewTokens: 1, numReturnSequences: 3 })).rejects.toThrow(LmkitError);
    await expect(generate(new TableModel(table), [0], { numBeams: 3, eosTokenId: 1, maxNewTokens: 1, numReturnSequences: 3 })).rejects.toThrow(/only 2 distinct sequences/);
  });

  it('stop strings end a beam like EOS, keeping the token', async () => {
    const decode = (ids: number[]) => ids.map((t) => 'abcdefgh'[t]).join('');
    const table = hashTable(8, 6);
    const free = await generate(new TableModel(table), [0], { numBeams: 2, maxNewTokens: 6 });
    const text = decode(free.sequences[0]!.slice(1));
    const stop = text.slice(2, 4); // two characters from the free answer, so a stop can match
    const out = await generate(new TableModel(table), [0], { numBeams: 2, maxNewTokens: 6, stopStrings: [stop], decode, numReturnSequences: 2 });
    for (const seq of out.sequences) {
      const generated = decode(seq.slice(1));
      if (generated.includes(stop)) expect(generated.endsWith(stop)).toBe(true);
    }
    expect(out.sequences.some((seq) => decode(seq.slice(1)).endsWith(stop))).toBe(true);
  });
});
