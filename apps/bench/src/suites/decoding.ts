/**
 * Decoding at GPT-2's vocabulary (V = 50,257) on the wasm backend:
 *
 * 1. The sampling chain (repetition penalty 1.2, temperature 0.8, top-k 50, top-p 0.9, then a
 *    multinomial draw) on one row of logits: @lmkit/decoding's exported processors, which select,
 *    against Hugging Face's algorithms written out below, which sort the whole vocabulary (the
 *    peer). The processed rows are checked equal first.
 * 2. What the chain adds per token to `generate()` over greedy decoding, on a model that returns
 *    fixed logits (so the time is the loop's: readback, checks, processors, sampler).
 * 3. Beam search with 4 beams against greedy decoding on the same small LM (embedding → tanh RNN,
 *    H = 256 → linear head to V), 32 new tokens each.
 */
import { applyProcessors, generate, multinomial, repetitionPenalty, temperature, topK, topP, type DecodingModel } from '@lmkit/decoding';
import { initBackend, Rng, tf, type Tensor } from '@lmkit/tensor';
import { assertAgree, type CaseResult, type Suite, type Timing } from '../harness.js';

const V = 50_257;
const H = 256;

/** Hugging Face's RepetitionPenalty → Temperature → TopK → TopP processors, by full sorts. */
function sortedChain(ids: readonly number[], logits: Float32Array): Float32Array {
  for (const t of new Set(ids)) logits[t] = logits[t]! < 0 ? logits[t]! * 1.2 : logits[t]! / 1.2;
  for (let i = 0; i < V; i++) logits[i]! /= 0.8;
  const desc = Float32Array.from(logits).sort().reverse();
  const kth = desc[49]!;
  for (let i = 0; i < V; i++) if (logits[i]! < kth) logits[i] = -Infinity;
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => logits[a]! - logits[b]!); // ascending, as HF
  const max = logits[order[V - 1]!]!;
  const probs = order.map((i) => Math.exp(logits[i]! - max));
  const sum = probs.reduce((a, b) => a + b, 0);
  let cum = 0;
  for (let j = 0; j < V - 1; j++) {
    cum += probs[j]! / sum;
    if (cum <= 1 - 0.9) logits[order[j]!] = -Infinity;
  }
  return logits;
}

/** A tiny RNN LM with a GPT-2-sized head: h ← tanh(E[x] + h·W), logits = h·Wo. */
class RnnLM implements DecodingModel<Tensor> {
  private readonly E: Tensor;
  private readonly W: Tensor;
  private readonly Wo: Tensor;

  constructor(rng: Rng) {
    this.E = rng.randomNormal([V, H], 0, 1);
    this.W = rng.randomNormal([H, H], 0, 1 / Math.sqrt(H));
    this.Wo = rng.randomNormal([H, V], 0, 3 / Math.sqrt(H));
  }

  step(tokens: number[][], state: Tensor | undefined): { logits: Tensor; state: Tensor } {
    const h = tf.tidy(() => {
      let h = state ?? tf.zeros([tokens.length, H]); // [B, H]
      for (let t = 0; t < tokens[0]!.length; t++) {
        const x = tf.gather(this.E, tf.tensor1d(tokens.map((row) => row[t]!), 'int32')); // [B, H]
        h = tf.tanh(tf.add(x, tf.matMul(h, this.W)));
      }
      return h;
    });
    state?.dispose();
    return { logits: tf.tidy(() => tf.matMul(h, this.Wo)), state: h }; // [B, V]
  }

  reorder(state: Tensor, rows: number[]): Tensor {
    const next = tf.tidy(() => tf.gather(state, tf.tensor1d(rows, 'int32')));
    state.dispose();
    return next;
  }

  releaseState(state: Tensor): void {
    state.dispose();
  }

  dispose(): void {
    tf.dispose([this.E, this.W, this.Wo]);
  }
}

/** Returns the same logits row every step. */
const constantModel = (row: Tensor): DecodingModel<undefined> => ({ step: () => ({ logits: row.clone(), state: undefined }) });

const perToken = (t: Timing, tokens: number) => t.medianMs / tokens;

export const decoding: Suite = {
  name: 'decoding',
  description:
    'Decoding at V = 50,257 on wasm: the sampling chain (repetition penalty, temperature, top-k 50, top-p 0.9, draw) by ' +
    "selection vs Hugging Face's full sorts; what it adds per token to generate(); beam-4 vs greedy on one model.",
  async run(ctx) {
    const info = await initBackend('wasm');
    ctx.plan(6);
    const rng = new Rng(0);
    const base = rng.normalArray(V, 0, 3);
    const ids = Array.from({ length: 200 }, () => rng.int(V));
    const cases: CaseResult[] = [];
    const notes = [`backend wasm, SIMD ${info.simd ? 'yes' : 'no'}, threads ${info.threads ? 'yes' : 'no'}`];

    // 1. The chain on one row: exported processors vs full sorts, after checking they agree.
    const chain = [repetitionPenalty(1.2), temperature(0.8), topK(50), topP(0.9)];
    const masked = (x: Float32Array) => Array.from(x, (v) => (v === -Infinity ? -1e30 : v)); // assertAgree needs finite values
    assertAgree('processed logits', masked(applyProcessors(chain, ids, Float32Array.from(base), 0)), masked(sortedChain(ids, Float32Array.from(base))));
    const draw = multinomial(new Rng(1));
    const rows = 200;
    const peerChain = await ctx.time('chain, full sorts (peer)', () => {
      for (let r = 0; r < rows; r++) draw(sortedChain(ids, Float32Array.from(base)));
    }, { warmup: 1, runs: 5 });
    const ourChain = await ctx.time('chain, selection (lmkit)', () => {
      for (let r = 0; r < rows; r++) draw(applyProcessors(chain, ids, Float32Array.from(base), 0));
    });
    cases.push({ name: 'sampling chain on one row', peer: (1000 * rows) / peerChain.medianMs, lmkit: (1000 * rows) / ourChain.medianMs, peerTiming: peerChain, lmkitTiming: ourChain });

    // 2. generate() with the chain vs greedy, on fixed logits: the loop's own cost per token.
    const row = tf.tensor2d(base, [1, V]);
    const fixed = constantModel(row);
    const n = 200;
    const sampling = { doSample: true, seed: 2, repetitionPenalty: 1.2, temperature: 0.8, topK: 50, topP: 0.9 } as const;
    const greedyLoop = await ctx.time('generate greedy, fixed logits', () => generate(fixed, [1, 2, 3], { maxNewTokens: n }));
    const chainLoop = await ctx.time('generate with the chain, fixed logits', () => generate(fixed, [1, 2, 3], { maxNewTokens: n, ...sampling }));
    cases.push({ name: `generate(), fixed logits: chain vs greedy (${n} tokens)`, peer: (1000 * n) / greedyLoop.medianMs, lmkit: (1000 * n) / chainLoop.medianMs, peerTiming: greedyLoop, lmkitTiming: chainLoop });
    const added = perToken(chainLoop, n) - perToken(greedyLoop, n);
    notes.push(`the chain adds ${added.toFixed(3)} ms per token to generate() (greedy loop ${perToken(greedyLoop, n).toFixed(3)} ms/token; target < 1 ms)`);
    row.dispose();

    // 3. Beam-4 vs greedy on one model.
    const model = new RnnLM(new Rng(3));
    const steps = 32;
    const prompt = [464, 3290, 318];
    const greedy = await ctx.time('RNN LM greedy', () => generate(model, prompt, { maxNewTokens: steps }), { warmup: 1, runs: 5 });
    const beam = await ctx.time('RNN LM beam-4', () => generate(model, prompt, { maxNewTokens: steps, numBeams: 4 }), { warmup: 1, runs: 5 });
    cases.push({ name: `RNN LM (H ${H}, V ${V}): beam-4 vs greedy (${steps} tokens)`, peer: (1000 * steps) / greedy.medianMs, lmkit: (1000 * steps) / beam.medianMs, peerTiming: greedy, lmkitTiming: beam });
    notes.push(`beam search with 4 beams costs ${(beam.medianMs / greedy.medianMs).toFixed(2)}× greedy on the same model (target < 4.5×)`);
    model.dispose();

    return {
      unit: 'tokens/s',
      peer: "Hugging Face's sort-based processors (case 1), greedy decoding (cases 2 and 3)",
      lmkit: '@lmkit/decoding processors (case 1), generate() with the chain (case 2), beam search with 4 beams (case 3)',
      notes,
      cases,
    };
  },
};
