/**
 * Attention on the wasm backend (issue 6, "Speed and memory"), in one run:
 *
 * 1. Causal multi-head self-attention, forward + backward (E = 128, 4 heads, B = 1), at each T:
 *    the peer is PyTorch's `F.multi_head_attention_forward` written out in plain tfjs-core ops on
 *    tfjs-backend-wasm's own kernels (the seam's kernels off); lmkit is `MultiHeadAttention` on the
 *    seam's kernels, whose attention on wasm is the fused kernel (`fusedAttention`: blocks of
 *    queries, no (T, T) matrix — the memory-efficient path). The output and the gradients
 *    of the input and of every parameter are checked equal first; each path gets a median time and
 *    its peak of tensor bytes (tf.profile). Then lmkit once at a T the plain path cannot hold.
 * 2. Greedy decoding of T tokens on a small GPT (token and position embeddings, 2 pre-LN causal
 *    encoder layers, E = 128, tied head) without and with the KV cache, after checking both give the
 *    same logits and tokens for the first tokens.
 * 3. PyTorch (CPU, 2 threads by default) on the same shapes, when /usr/bin/python3 imports torch; else a note.
 *
 * Sizes come from the environment: LMKIT_BENCH_ATTENTION_T (default "1024,4096"),
 * LMKIT_BENCH_ATTENTION_LONG_T (default 16384; 0 skips the long run), LMKIT_BENCH_ATTENTION_DECODE_T (default 512) and LMKIT_BENCH_ATTENTION_TORCH_THREADS
 * (default 2; on a loaded machine PyTorch's thread team can run slower with 2 threads than with 1).
 */
import { MultiHeadAttention, TransformerEncoder, type KVCache } from '@lmkit/attention';
import { initBackend, Rng, setSeamKernels, tf, type Tensor } from '@lmkit/tensor';
import { assertAgree, type BenchContext, type CaseResult, type Suite, type Timing } from '../harness.js';
import { asTiming, runTorch, type TorchTiming } from '../torch.js';

const E = 128;
const HEADS = 4;
const LAYERS = 2;
const V = 256; // the decoding model's vocabulary (bytes)

function envInts(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  const values = raw.split(',').filter((s) => s.trim() !== '').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`${name}: expected comma-separated integers ≥ 0, got '${raw}'`);
  return values;
}

const SIZES = envInts('LMKIT_BENCH_ATTENTION_T', '1024,4096');
const LONG_T = envInts('LMKIT_BENCH_ATTENTION_LONG_T', '16384')[0] ?? 0;
const DECODE_T = envInts('LMKIT_BENCH_ATTENTION_DECODE_T', '512')[0] ?? 512;
const TORCH_THREADS = envInts('LMKIT_BENCH_ATTENTION_TORCH_THREADS', '2')[0] ?? 2;
if (TORCH_THREADS < 1) throw new Error(`LMKIT_BENCH_ATTENTION_TORCH_THREADS: expected ≥ 1, got ${TORCH_THREADS}`);

const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const tokensPerSecond = (tokens: number, ms: number) => (1000 * tokens) / ms;

/** The peer: x (B, T, E) → (B, T, E), PyTorch 1.13's causal self-attention in plain tfjs-core ops. */
function plainAttention(x: Tensor, mha: MultiHeadAttention): Tensor {
  const [B, T] = x.shape as [number, number, number];
  const hs = E / HEADS;
  const qkv = tf.add(tf.matMul(x.reshape([B * T, E]), mha.inProjWeight!, false, true), mha.inProjBias!); // (B·T, 3E)
  const [q, k, v] = tf.split(qkv, 3, -1).map((t) => t.reshape([B, T, HEADS, hs]).transpose([0, 2, 1, 3])); // 3 × (B, nh, T, hs)
  const scores = tf.matMul(tf.mul(q!, 1 / Math.sqrt(hs)), k!, false, true); // (B, nh, T, T)
  const allowed = tf.linalg.bandPart(tf.ones([T, T]), -1, 0).cast('bool'); // (T, T): key ≤ query
  const mask = tf.where(allowed, tf.zeros([T, T]), tf.fill([T, T], -Infinity)); // (T, T)
  const weights = tf.softmax(tf.add(scores, mask)); // (B, nh, T, T)
  const joined = tf.matMul(weights, v!).transpose([0, 2, 1, 3]).reshape([B * T, E]); // (B·T, E)
  const out = mha.outProj;
  return tf.add(tf.matMul(joined, out.weight, false, true), out.bias!).reshape([B, T, E]); // (B, T, E)
}

/** One forward and one backward pass: d/d(x, params) of Σ forward(x)·dy → [dx, ...dparams]. */
function gradients(forward: (x: Tensor) => Tensor, x: tf.Variable, dy: Tensor, params: readonly tf.Variable[]): Tensor[] {
  return tf.tidy(() => {
    const vars = [x, ...params];
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(forward(x), dy)) as tf.Scalar, vars);
    return vars.map((v) => grads[v.name]!);
  });
}

interface Path {
  readonly label: string;
  readonly seam: boolean;
  readonly forward: (x: Tensor) => Tensor;
  readonly params: readonly tf.Variable[];
}

interface Measured {
  readonly values: Float32Array[]; // output, dx, then d of each parameter
  readonly peakBytes: number; // above what was live before the pass
}

/** Runs `path` once under tf.profile: its output and gradients, and its peak of tensor bytes. */
async function profiled(path: Path, x: tf.Variable, dy: Tensor): Promise<Measured> {
  setSeamKernels('wasm', path.seam);
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => gradients(path.forward, x, dy, path.params));
  const output = tf.tidy(() => path.forward(x));
  const tensors = [output, ...(info.result as Tensor[])];
  const values = tensors.map((t) => t.dataSync() as Float32Array);
  tf.dispose(tensors);
  return { values, peakBytes: info.peakBytes - before };
}

/** Throws unless each of `names` (output, dx, d of each parameter) agrees within 1e-5 of its largest magnitude + 1e-4 relative. */
function assertAllAgree(label: string, names: readonly string[], got: Measured, want: Measured): void {
  want.values.forEach((w, i) => {
    const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assertAgree(`${label}: ${names[i]}`, got.values[i]!, w, 1e-5 * scale, 1e-4);
  });
}

/** The timings and peaks of one T: plain tfjs, then lmkit. */
interface MhaRow {
  readonly T: number;
  readonly timings: readonly [Timing, Timing];
  readonly peaks: readonly [number, number];
}

/** Part 1 at one T: check the paths agree, then time each. */
async function attentionAt(ctx: BenchContext, T: number): Promise<MhaRow> {
  const rng = new Rng(T);
  const mha = new MultiHeadAttention({ embedDim: E, numHeads: HEADS, rng: new Rng(1) });
  for (const bias of [mha.inProjBias!, mha.outProj.bias!]) bias.assign(rng.randomNormal(bias.shape, 0, 0.1)); // PyTorch's zeros would hide a missing bias
  const names = ['output', 'dx', ...mha.namedParameters().map(([name]) => `d ${name}`)];
  const x = tf.variable(rng.randomNormal([1, T, E])); // (B, T, E)
  const dy = rng.randomNormal([1, T, E]); // (B, T, E)
  const paths: Path[] = [
    { label: 'plain tfjs', seam: false, forward: (q) => plainAttention(q, mha), params: mha.parameters() },
    { label: 'lmkit', seam: true, forward: (q) => mha.forward(q, q, q, { isCausal: true }).output, params: mha.parameters() },
  ];
  const measured: Measured[] = [];
  for (const p of paths) measured.push(await profiled(p, x, dy));
  for (let i = 1; i < paths.length; i++) assertAllAgree(`T ${T}: ${paths[i]!.label} vs ${paths[0]!.label}`, names, measured[i]!, measured[0]!);
  const timings: Timing[] = [];
  for (const p of paths) {
    setSeamKernels('wasm', p.seam);
    const runs = T >= 4096 ? 3 : 5;
    timings.push(await ctx.time(`T ${T}: ${p.label}`, () => tf.dispose(gradients(p.forward, x, dy, p.params)), { warmup: 1, runs }));
  }
  setSeamKernels('wasm', true);
  tf.dispose([x, dy]);
  mha.dispose();
  return { T, timings: timings as [Timing, Timing], peaks: measured.map((m) => m.peakBytes) as [number, number] };
}

/** A small GPT: token + position embeddings → pre-LN causal encoder layers → final norm → tied head. */
class TinyGpt {
  private readonly wte: Tensor; // (V, E)
  private readonly wpe: Tensor; // (maxT, E)
  readonly stack: TransformerEncoder;

  constructor(maxT: number, rng: Rng) {
    this.wte = rng.randomNormal([V, E], 0, 0.5);
    this.wpe = rng.randomNormal([maxT, E], 0, 0.5);
    this.stack = new TransformerEncoder({ dModel: E, nHead: HEADS, dimFeedforward: 4 * E, numLayers: LAYERS, normFirst: true, finalNorm: true, dropout: 0, rng }).eval();
  }

  /** Logits (V) after the last of `tokens`: a pass over all of them, or over the last one with `cache` holding the rest. */
  nextLogits(tokens: readonly number[], cache?: KVCache[]): Tensor {
    return tf.tidy(() => {
      const start = cache === undefined ? 0 : tokens.length - 1;
      const Tn = tokens.length - start;
      const ids = tf.tensor1d(tokens.slice(start), 'int32');
      const x = tf.add(tf.gather(this.wte, ids), tf.slice(this.wpe, [start, 0], [Tn, E])).expandDims(0); // (1, Tn, E)
      const h = this.stack.forward(x, { isCausal: true, cache }); // (1, Tn, E)
      const last = tf.slice(h, [0, Tn - 1, 0], [1, 1, E]).reshape([1, E]); // (1, E)
      return tf.matMul(last, this.wte, false, true).reshape([V]); // (V)
    });
  }

  /** Greedy decoding of `n` tokens after token 0, with or without a KV cache → the tokens and, when asked, each step's logits. */
  decode(n: number, cached: boolean, keepLogits = false): { tokens: number[]; logits: Float32Array[] } {
    const tokens = [0];
    const logits: Float32Array[] = [];
    const cache = cached ? this.stack.createCache() : undefined;
    for (let t = 0; t < n; t++) {
      const row = this.nextLogits(tokens, cache);
      const values = row.dataSync() as Float32Array;
      row.dispose();
      tokens.push(values.indexOf(Math.max(...values)));
      if (keepLogits) logits.push(values);
    }
    cache?.forEach((c) => c.dispose());
    return { tokens, logits };
  }

  dispose(): void {
    tf.dispose([this.wte, this.wpe]);
    this.stack.dispose();
  }
}

/** PyTorch's side, run by /usr/bin/python3 (CPU, TORCH_THREADS threads): the same MHA passes and the same decoding model, as JSON on stdout, after torch.ts's prelude. */
const TORCH_SCRIPT = String.raw`
E, H, V, L = cfg['E'], cfg['heads'], cfg['V'], cfg['layers']

out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'mha': {}, 'decode': {}}
mha = nn.MultiheadAttention(E, H, batch_first=True)
for T in cfg['sizes']:
    x = torch.randn(1, T, E, requires_grad=True); dy = torch.randn(1, T, E)
    mask = torch.ones(T, T, dtype=torch.bool).triu(1)
    def step():
        mha.zero_grad(set_to_none=True); x.grad = None
        mha(x, x, x, attn_mask=mask, need_weights=False)[0].backward(dy)
    out['mha'][str(T)] = bench(step, 3 if T >= 4096 else 5)

class Layer(nn.Module):  # pre-LN: x + sa(norm1(x)), then x + ff(norm2(x)), as lmkit's normFirst layer
    def __init__(s):
        super().__init__()
        s.norm1, s.norm2 = nn.LayerNorm(E), nn.LayerNorm(E)
        s.qkv, s.proj = nn.Linear(E, 3 * E), nn.Linear(E, E)
        s.ff = nn.Sequential(nn.Linear(E, 4 * E), nn.ReLU(), nn.Linear(4 * E, E))
    def forward(s, x, cache):  # x (1, Tn, E); cache: {} or {'k', 'v'} (1, H, T, hs)
        B, Tn, _ = x.shape
        q, k, v = [t.view(B, Tn, H, E // H).transpose(1, 2) for t in s.qkv(s.norm1(x)).split(E, -1)]
        if cache is not None:
            if cache: k, v = torch.cat([cache['k'], k], 2), torch.cat([cache['v'], v], 2)
            cache['k'], cache['v'] = k, v
        Tk = k.shape[2]
        scores = (q / math.sqrt(E // H)) @ k.transpose(-2, -1)  # (1, H, Tn, Tk)
        scores = scores.masked_fill(torch.ones(Tn, Tk, dtype=torch.bool).triu(Tk - Tn + 1), float('-inf'))
        x = x + s.proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(B, Tn, E))
        return x + s.ff(s.norm2(x))

T = cfg['decode_T']
wte, wpe = nn.Embedding(V, E), nn.Embedding(T, E)
layers, norm = nn.ModuleList([Layer() for _ in range(L)]), nn.LayerNorm(E)
def decode(cached):
    tokens, caches = [0], ([{} for _ in range(L)] if cached else [None] * L)
    with torch.no_grad():
        for _ in range(T):
            start = len(tokens) - 1 if cached else 0
            x = wte(torch.tensor(tokens[start:])[None]) + wpe(torch.arange(start, len(tokens)))[None]
            for layer, c in zip(layers, caches): x = layer(x, c)
            tokens.append(int((norm(x[:, -1]) @ wte.weight.T).argmax()))
out['decode'] = {'uncached': bench(lambda: decode(False), 1), 'cached': bench(lambda: decode(True), 3)}
print(json.dumps(out))
`;

interface TorchResult {
  readonly torch: string;
  readonly threads: number;
  readonly mha: Record<string, TorchTiming>;
  readonly decode: { readonly uncached: TorchTiming; readonly cached: TorchTiming };
}

/** PyTorch's timings, or why there are none. */
function torchTimings(): TorchResult | string {
  return runTorch<TorchResult>(TORCH_SCRIPT, { E, heads: HEADS, V, layers: LAYERS, sizes: SIZES, decode_T: DECODE_T, threads: TORCH_THREADS }, 30 * 60_000);
}

const wall = (t: Timing) => t.medianMs;
const cpu = (t: Timing) => t.cpuMedianMs;

export const attention: Suite = {
  name: 'attention',
  description:
    'Causal multi-head self-attention forward + backward (E 128, 4 heads) on wasm: plain tfjs-core ops vs lmkit MultiHeadAttention ' +
    '(fused attention kernel; time and peak tensor bytes); GPT decoding with and without the KV cache; PyTorch CPU in the same run.',
  async run(ctx) {
    const info = await initBackend('wasm');
    ctx.plan(SIZES.length * 2 + 2);
    const notes = [
      `backend wasm, SIMD ${info.simd ? 'yes' : 'no'}, threads ${info.threads ? 'yes' : 'no'}; T ${SIZES.join(', ')}, long T ${LONG_T || 'skipped'}, decoding T ${DECODE_T} (env LMKIT_BENCH_ATTENTION_T, _LONG_T, _DECODE_T, _TORCH_THREADS)`,
      'lmkit vs plain tfjs and cache vs no cache: CPU time of this process (both single-threaded wasm); vs PyTorch: wall-clock, both sides',
      'peak = the most tensor bytes live at once during one forward + backward (tf.profile), above what was live before it',
    ];
    const torch = torchTimings();
    if (typeof torch === 'string') notes.push(torch);
    else notes.push(`PyTorch ${torch.torch}, CPU, ${torch.threads} threads: nn.MultiheadAttention with a bool causal mask; decoding with a hand-written KV cache`);
    const cases: CaseResult[] = [];

    // 1. MHA forward + backward: plain tfjs vs lmkit.
    for (const T of SIZES) {
      const row = await attentionAt(ctx, T);
      const [plain, ours] = row.timings;
      const [plainPeak, ourPeak] = row.peaks;
      const tps = (t: Timing) => tokensPerSecond(T, cpu(t));
      cases.push({ name: `MHA fwd+bwd T ${T}: plain tfjs vs lmkit`, peer: tps(plain), lmkit: tps(ours), peerTiming: plain, lmkitTiming: ours });
      if (typeof torch !== 'string' && torch.mha[T] !== undefined) {
        const pt = asTiming(torch.mha[T]);
        cases.push({ name: `MHA fwd+bwd T ${T}: PyTorch vs lmkit (wall)`, peer: tokensPerSecond(T, wall(pt)), lmkit: tokensPerSecond(T, wall(ours)), peerTiming: pt, lmkitTiming: ours });
      }
      notes.push(
        `T ${T}: median ms (CPU) plain tfjs ${cpu(plain).toFixed(0)}, lmkit ${cpu(ours).toFixed(0)}` +
          (typeof torch !== 'string' && torch.mha[T] ? `, PyTorch ${torch.mha[T].ms.toFixed(0)} wall / ${torch.mha[T].cpu_ms.toFixed(0)} CPU` : '') +
          `; peak plain tfjs ${MB(plainPeak)}, lmkit ${MB(ourPeak)} (1/${(plainPeak / ourPeak).toFixed(1)}, at ${(cpu(ours) / cpu(plain)).toFixed(2)}× the time)`,
      );
    }

    // 1b. lmkit once at a long T, where the plain path's (T, T) matrices do not fit the wasm heap.
    if (LONG_T > 0) {
      const rng = new Rng(LONG_T);
      const mha = new MultiHeadAttention({ embedDim: E, numHeads: HEADS, rng: new Rng(1) });
      const x = tf.variable(rng.randomNormal([1, LONG_T, E])); // (B, T, E)
      const dy = rng.randomNormal([1, LONG_T, E]); // (B, T, E)
      const before = tf.memory().numBytes;
      const [cpu0, t0] = [process.cpuUsage(), performance.now()];
      const profile = await tf.profile(() => gradients((q) => mha.forward(q, q, q, { isCausal: true }).output, x, dy, mha.parameters()));
      const ms = performance.now() - t0;
      const used = process.cpuUsage(cpu0);
      tf.dispose(profile.result as Tensor[]);
      notes.push(`lmkit at T ${LONG_T}, one forward + backward: ${(ms / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, peak ${MB(profile.peakBytes - before)}`);
      tf.dispose([x, dy]);
      mha.dispose();
    }

    // 2. Decoding: no cache vs the KV cache, after checking they agree.
    const gpt = new TinyGpt(DECODE_T, new Rng(2));
    const check = Math.min(16, DECODE_T);
    const [uncachedRun, cachedRun] = [gpt.decode(check, false, true), gpt.decode(check, true, true)];
    if (uncachedRun.tokens.join() !== cachedRun.tokens.join()) throw new Error(`decoding: tokens differ with the cache (${cachedRun.tokens} vs ${uncachedRun.tokens})`);
    uncachedRun.logits.forEach((want, t) => assertAgree(`decoding step ${t}: logits with the cache`, cachedRun.logits[t]!, want, 1e-4, 1e-4));
    const uncached = await ctx.time(`decode ${DECODE_T}: no cache`, () => gpt.decode(DECODE_T, false), { warmup: 1, runs: 1 });
    const cached = await ctx.time(`decode ${DECODE_T}: KV cache`, () => gpt.decode(DECODE_T, true), { warmup: 1, runs: 3 });
    gpt.dispose();
    const decodeTps = (t: Timing, measure: (t: Timing) => number) => tokensPerSecond(DECODE_T, measure(t));
    cases.push({ name: `decode ${DECODE_T} tokens: no cache vs KV cache`, peer: decodeTps(uncached, cpu), lmkit: decodeTps(cached, cpu), peerTiming: uncached, lmkitTiming: cached });
    if (typeof torch !== 'string') {
      const [ptUncached, ptCached] = [asTiming(torch.decode.uncached), asTiming(torch.decode.cached)];
      cases.push({ name: `decode ${DECODE_T}, no cache: PyTorch vs lmkit (wall)`, peer: decodeTps(ptUncached, wall), lmkit: decodeTps(uncached, wall), peerTiming: ptUncached, lmkitTiming: uncached });
      cases.push({ name: `decode ${DECODE_T}, KV cache: PyTorch vs lmkit (wall)`, peer: decodeTps(ptCached, wall), lmkit: decodeTps(cached, wall), peerTiming: ptCached, lmkitTiming: cached });
    }
    notes.push(`decoding: the first ${check} tokens and logits agree with and without the cache; the KV cache is ${(cpu(uncached) / cpu(cached)).toFixed(1)}× faster at T ${DECODE_T}`);

    return {
      unit: 'tokens/s',
      peer: `plain tfjs-core ops on tfjs-backend-wasm 4.22 kernels (MHA), no KV cache (decoding), PyTorch CPU ${TORCH_THREADS} thread(s) (PyTorch rows)`,
      lmkit: '@lmkit/attention MultiHeadAttention on the seam kernels (attention: the fused kernel); the KV cache',
      notes,
      cases,
    };
  },
};
