/**
 * Reformer on the wasm backend (issue 8, "Speed and memory"), in one run:
 *
 * 1. Forward + backward of shared-QK self-attention (E = 128, 4 heads, B = 1, causal) at each T:
 *    the peer is full shared-QK attention (`LSHSelfAttention` below `fullAttentionBelow`, the T²
 *    score matrix); lmkit is LSH attention with chunkLength 64 and nHashes 1, 2, 4, 8. Before timing,
 *    LSH with one chunk holding every token is checked equal to full attention at the smallest T.
 *    Each path gets a median time and its peak of tensor bytes (tf.profile).
 *    Also @lmkit/attention's causal `MultiHeadAttention` at each T (ordinary, not shared-QK,
 *    attention; on wasm its fused kernel holds no T² matrix), the fastest full attention lmkit has.
 * 2. Peak tensor bytes of a training step of a 2- and a 12-layer `ReversibleSequence` against the
 *    same layers as an ordinary residual stack, at the smallest T.
 *
 * Sizes come from LMKIT_BENCH_REFORMER_T (default "512,2048,4096,16384"), run longest first so the
 * wasm heap (4 GB at most, never shrinking) is grown once rather than fragmented by the short runs.
 * Full shared-QK attention is skipped where its T² scores alone pass LMKIT_BENCH_REFORMER_FULL_MAX_MB
 * (default 1024), and LSH where one of its score tensors passes LMKIT_BENCH_REFORMER_LSH_MAX_MB
 * (default 100: at T = 16,384 that runs 1 and 2 hashes).
 */
import { MultiHeadAttention } from '@lmkit/attention';
import { AttentionSublayer, FeedForwardSublayer, LSHSelfAttention, ReversibleBlock, ReversibleSequence } from '@lmkit/reformer';
import { initBackend, Rng, tf, type Tensor } from '@lmkit/tensor';
import { assertAgree, type BenchContext, type CaseResult, type Suite, type SuiteResult } from '../harness.js';

const E = 128;
const HEADS = 4;
const CHUNK = 64;
const HASHES = [1, 2, 4, 8];

function envInts(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  const values = raw.split(',').filter((s) => s.trim() !== '').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`${name}: expected comma-separated integers > 0, got '${raw}'`);
  return values;
}

const SIZES = envInts('LMKIT_BENCH_REFORMER_T', '512,2048,4096,16384');
const FULL_MAX_BYTES = (envInts('LMKIT_BENCH_REFORMER_FULL_MAX_MB', '1024')[0] ?? 1024) * 2 ** 20;
const LSH_MAX_BYTES = (envInts('LMKIT_BENCH_REFORMER_LSH_MAX_MB', '100')[0] ?? 100) * 2 ** 20;
/** Bytes of one LSH score tensor (B·H, nHashes·T / chunk, chunk, 2·chunk): a step holds ~10–30 of them. */
const lshScoreBytes = (T: number, nHashes: number) => HEADS * nHashes * T * 2 * CHUNK * 4;
const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** d/d(x, params) of Σ attention(x)·dy: one forward and one backward pass. */
function step(attn: LSHSelfAttention, x: tf.Variable, dy: Tensor): Tensor[] {
  return tf.tidy(() => {
    const vars = [x, ...attn.parameters()];
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(attn.forward(x).output, dy)) as tf.Scalar, vars);
    return vars.map((v) => grads[v.name]!);
  });
}

async function peakOf(fn: () => Tensor[] | void): Promise<number> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => tf.dispose(fn() ?? []));
  return info.peakBytes - before;
}

/** LSH with one chunk of every token equals full attention: output and gradients. */
async function checkAgreement(T: number): Promise<void> {
  const lsh = new LSHSelfAttention({ embedDim: E, numHeads: HEADS, chunkLength: T, nHashes: 2, causal: true, seed: 1 });
  const full = new LSHSelfAttention({ embedDim: E, numHeads: HEADS, chunkLength: T, causal: true, fullAttentionBelow: T + 1, seed: 1 });
  const rng = new Rng(T);
  const x = tf.variable(rng.randomNormal([1, T, E]));
  const dy = rng.randomNormal([1, T, E]);
  const [a, b] = [step(lsh, x, dy), step(full, x, dy)];
  a.forEach((t, i) => {
    const want = b[i]!.dataSync() as Float32Array;
    const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assertAgree(`T ${T}: LSH (one chunk) vs full, gradient ${i}`, t.dataSync() as Float32Array, want, 1e-5 * scale, 1e-4);
  });
  tf.dispose([...a, ...b, x, dy]);
  lsh.dispose();
  full.dispose();
}

/** Peak bytes of one training step of `layers` Reformer layers, reversible or stored. */
async function stackPeak(layers: number, T: number, reversible: boolean): Promise<number> {
  const seq = new ReversibleSequence(
    Array.from({ length: layers }, (_, i) => new ReversibleBlock(new AttentionSublayer({ embedDim: E, numHeads: HEADS, chunkLength: CHUNK, nHashes: 2, seed: i }), new FeedForwardSublayer({ dModel: E, dFF: 4 * E, chunks: 4, seed: i }))),
  );
  const x = new Rng(layers).randomNormal([1, T, E]);
  const peak = await peakOf(() => {
    const { value, grads } = tf.variableGrads(() => {
      const [y1, y2] = reversible ? seq.forward(x, x) : seq.forwardStored(x, x);
      return tf.sum(tf.add(y1, y2)) as tf.Scalar;
    });
    return [value, ...Object.values(grads)];
  });
  x.dispose();
  seq.dispose();
  return peak;
}

export const reformer: Suite = {
  name: 'reformer',
  description: 'LSH attention (nHashes 1–8) vs full shared-QK attention, forward + backward on wasm; reversible vs ordinary stack memory',
  async run(ctx: BenchContext): Promise<SuiteResult> {
    await initBackend('wasm');
    const notes: string[] = [`E = ${E}, ${HEADS} heads, B = 1, causal, chunkLength ${CHUNK}; throughput = tokens/s of forward + backward`];
    await checkAgreement(Math.min(...SIZES, 256));
    const fullAt = SIZES.filter((T) => HEADS * T * T * 4 <= FULL_MAX_BYTES);
    const lshRuns = SIZES.reduce((n, T) => n + HASHES.filter((h) => lshScoreBytes(T, h) <= LSH_MAX_BYTES).length, 0);
    ctx.plan(SIZES.length + lshRuns + fullAt.length);
    const cases: CaseResult[] = [];
    for (const T of [...SIZES].sort((a, b) => b - a)) {
      const rng = new Rng(T);
      const x = tf.variable(rng.randomNormal([1, T, E]));
      const dy = rng.randomNormal([1, T, E]);
      const runs = T >= 4096 ? 3 : 5;
      const full = new LSHSelfAttention({ embedDim: E, numHeads: HEADS, causal: true, fullAttentionBelow: T + 1, seed: 1 });
      const fullTiming = fullAt.includes(T) ? await ctx.time(`T ${T}: full`, () => tf.dispose(step(full, x, dy)), { warmup: 1, runs }) : undefined;
      if (fullTiming !== undefined) notes.push(`T ${T}: full attention peak ${MB(await peakOf(() => step(full, x, dy)))}`);
      const mha = new MultiHeadAttention({ embedDim: E, numHeads: HEADS, rng: new Rng(1) });
      const mhaStep = () => tf.tidy(() => {
        const vars = [x, ...mha.parameters()];
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(mha.forward(x, x, x, { isCausal: true }).output, dy)) as tf.Scalar, vars);
        return vars.map((v) => grads[v.name]!);
      });
      const mhaTiming = await ctx.time(`T ${T}: @lmkit/attention`, () => tf.dispose(mhaStep()), { warmup: 1, runs });
      notes.push(`T ${T}: @lmkit/attention MultiHeadAttention (fused) ${mhaTiming.medianMs.toFixed(0)} ms, peak ${MB(await peakOf(mhaStep))}`);
      mha.dispose();
      for (const nHashes of HASHES) {
        if (lshScoreBytes(T, nHashes) > LSH_MAX_BYTES) {
          notes.push(`T ${T}: LSH ×${nHashes} skipped: one score tensor is ${MB(lshScoreBytes(T, nHashes))} (LMKIT_BENCH_REFORMER_LSH_MAX_MB ${MB(LSH_MAX_BYTES)})`);
          continue;
        }
        const lsh = new LSHSelfAttention({ embedDim: E, numHeads: HEADS, chunkLength: CHUNK, nHashes, causal: true, seed: 1 });
        const timing = await ctx.time(`T ${T}: LSH ×${nHashes}`, () => tf.dispose(step(lsh, x, dy)), { warmup: 1, runs });
        notes.push(`T ${T}: LSH ×${nHashes} peak ${MB(await peakOf(() => step(lsh, x, dy)))}`);
        if (nHashes === 2) {
          cases.push({ name: `T ${T}, 2 hashes vs @lmkit/attention (fused full)`, peer: (1000 * T) / mhaTiming.medianMs, lmkit: (1000 * T) / timing.medianMs, peerTiming: mhaTiming, lmkitTiming: timing });
        }
        if (fullTiming !== undefined) {
          cases.push({ name: `T ${T}, ${nHashes} hash${nHashes > 1 ? 'es' : ''}`, peer: (1000 * T) / fullTiming.medianMs, lmkit: (1000 * T) / timing.medianMs, peerTiming: fullTiming, lmkitTiming: timing });
        } else {
          notes.push(`T ${T}: LSH ×${nHashes} ${timing.medianMs.toFixed(0)} ms (full attention skipped: its scores alone exceed ${MB(FULL_MAX_BYTES)})`);
        }
        lsh.dispose();
      }
      full.dispose();
      tf.dispose([x, dy]);
    }
    const T0 = Math.min(...SIZES);
    const [r2, r12, s2, s12] = [await stackPeak(2, T0, true), await stackPeak(12, T0, true), await stackPeak(2, T0, false), await stackPeak(12, T0, false)];
    notes.push(`T ${T0}: training-step peak, reversible 2 → 12 layers ${MB(r2)} → ${MB(r12)}; ordinary residual ${MB(s2)} → ${MB(s12)}`);
    return {
      unit: 'tokens/s',
      peer: 'full shared-QK attention (T² scores), same module; in the "vs @lmkit/attention" rows, causal MultiHeadAttention on the fused kernel',
      lmkit: '@lmkit/reformer LSHSelfAttention',
      notes,
      cases,
    };
  },
};
