/**
 * Recurrent layers on the wasm backend (issue 5, "Speed and memory"), in one run: a training step
 * (forward + backward + Adam) of an LSTM and of a GRU (in → H) over a batch of B sequences of T
 * steps, with a Linear to C classes and cross-entropy at every step, and inference (the logits of
 * the same model), for
 *
 * - the peer, `@tensorflow/tfjs-layers` 4.22 (`tf.layers.lstm` / `tf.layers.gru` with
 *   `returnSequences`, then a dense layer) on tfjs-backend-wasm's own kernels (the seam's kernels
 *   off: what a tfjs-layers user gets); once more on the seam's kernels, for information;
 * - lmkit: `LSTM` / `GRU` from @lmkit/recurrent and `Linear`, on the seam's kernels;
 * - PyTorch (CPU, one thread by default) on the same shapes, when /usr/bin/python3 imports torch.
 *
 * Both JavaScript models get the same weights and the same loss (`tf.losses.softmaxCrossEntropy`
 * on one-hot labels) and train with `tf.train.adam`; their logits, loss and input-weight gradient
 * are checked equal before timing. The GRU is the reset-before GRU on both sides (tfjs-layers has
 * no other); PyTorch's `nn.GRU` is reset-after. Each path also gets its peak of tensor bytes during
 * one training step (tf.profile).
 *
 * Sizes come from the environment: LMKIT_BENCH_RECURRENT_B (default 32), _T (64), _IN (128),
 * _H (256), _CLASSES (64), _RUNS (timed samples, default 5) and _TORCH_THREADS (default 1).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { GRU, LSTM, type RecurrentLayer, type HiddenState } from '@lmkit/recurrent';
import { initBackend, Linear, Rng, setSeamKernels, tf, type Tensor } from '@lmkit/tensor';
import { assertAgree, type BenchContext, type CaseResult, type Suite, type Timing } from '../harness.js';
import { asTiming, runTorch, type TorchTiming } from '../torch.js';

function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: expected an integer ≥ ${min}, got '${raw}'`);
  return value;
}

const B = envInt('LMKIT_BENCH_RECURRENT_B', 32);
const T = envInt('LMKIT_BENCH_RECURRENT_T', 64);
const IN = envInt('LMKIT_BENCH_RECURRENT_IN', 128);
const H = envInt('LMKIT_BENCH_RECURRENT_H', 256);
const C = envInt('LMKIT_BENCH_RECURRENT_CLASSES', 64);
const RUNS = envInt('LMKIT_BENCH_RECURRENT_RUNS', 5);
const TORCH_THREADS = envInt('LMKIT_BENCH_RECURRENT_TORCH_THREADS', 1);

type Kind = 'lstm' | 'gru';
const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** A model under test: logits (B·T, C) of x (B, T, IN), its trainable variables, and a seam setting. */
interface Model {
  readonly label: string;
  readonly seam: boolean;
  logits(x: Tensor, training: boolean): Tensor;
  readonly variables: tf.Variable[];
  dispose(): void;
}

/** The mean cross-entropy of logits (B·T, C) against one-hot labels (B·T, C). */
function loss(model: Model, x: Tensor, labels: Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(labels, model.logits(x, true)) as tf.Scalar;
}

/** lmkit: LSTM or GRU (reset-before), then Linear. */
function lmkitModel(kind: Kind): Model & { rnn: RecurrentLayer<HiddenState>; head: Linear } {
  const rng = new Rng(1);
  const rnn: RecurrentLayer<HiddenState> = kind === 'lstm' ? new LSTM({ inputSize: IN, hiddenSize: H, rng }) : new GRU({ inputSize: IN, hiddenSize: H, resetAfter: false, rng });
  const head = new Linear({ inFeatures: H, outFeatures: C, rng });
  return {
    label: `lmkit ${kind.toUpperCase()}`,
    seam: true,
    rnn,
    head,
    logits: (x, training) => {
      rnn.train(training);
      return head.forward(rnn.forward(x).output.reshape([B * T, H])); // (B·T, C)
    },
    variables: [...rnn.parameters(), ...head.parameters()],
    dispose: () => {
      rnn.dispose();
      head.dispose();
    },
  };
}

/** [rows of W (G·H, ·) in lmkit's gate order] → the same rows in tfjs-layers' order, transposed: (·, G·H). */
function toKeras(kind: Kind, w: Tensor): Tensor {
  if (kind === 'lstm') return w.rank === 1 ? w.clone() : tf.transpose(w); // i, f, g, o in both
  const [r, z, n] = tf.split(w, 3, 0); // lmkit r, z, n → Keras z, r, h
  const reordered = tf.concat([z!, r!, n!], 0);
  return w.rank === 1 ? reordered : tf.transpose(reordered);
}

/** A Keras kernel (·, G·H) in Keras' gate order → lmkit's layout (G·H, ·) and order. */
function fromKeras(kind: Kind, w: Tensor): Tensor {
  if (kind === 'lstm') return tf.transpose(w);
  const [z, r, n] = tf.split(tf.transpose(w), 3, 0);
  return tf.concat([r!, z!, n!], 0);
}

/** tfjs-layers: the same model with `lmkit`'s weights. */
function peerModel(kind: Kind, lmkit: ReturnType<typeof lmkitModel>, seam: boolean): Model {
  const options = { units: H, returnSequences: true, recurrentActivation: 'sigmoid' as const, inputShape: [T, IN] }; // tfjs-layers' GRU is reset-before only
  const model = tfl.sequential({
    layers: [kind === 'lstm' ? tfl.layers.lstm(options) : tfl.layers.gru(options), tfl.layers.dense({ units: C })],
  });
  const p = Object.fromEntries(lmkit.rnn.namedParameters());
  tf.tidy(() => {
    const bias = tf.add(p.bias_ih_l0!, p.bias_hh_l0!);
    model.layers[0]!.setWeights([toKeras(kind, p.weight_ih_l0!), toKeras(kind, p.weight_hh_l0!), toKeras(kind, bias)]);
    model.layers[1]!.setWeights([tf.transpose(lmkit.head.weight), lmkit.head.bias!]);
  });
  return {
    label: `tfjs-layers ${kind.toUpperCase()}${seam ? ' (seam kernels)' : ''}`,
    seam,
    logits: (x, training) => (model.apply(x, { training }) as Tensor).reshape([B * T, C]),
    variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
    dispose: () => model.dispose(),
  };
}

/** One training step: forward, backward, Adam. */
function trainStep(model: Model, optimizer: tf.Optimizer, x: Tensor, labels: Tensor): void {
  optimizer.minimize(() => loss(model, x, labels), false, model.variables);
}

/** The logits, read back (so that the work is done), in eval mode. */
function infer(model: Model, x: Tensor): void {
  tf.tidy(() => {
    model.logits(x, false).dataSync(); // not returned: tidy would walk every element of a returned array
  });
}

/** Logits, loss and the gradient of the input weights (as lmkit lays them out: W_ih) of a model, for the agreement check. */
function probe(kind: Kind, model: Model, x: Tensor, labels: Tensor, keras: boolean): Float32Array[] {
  setSeamKernels('wasm', model.seam);
  return tf.tidy(() => {
    const logits = model.logits(x, false).dataSync() as Float32Array;
    const { value, grads } = tf.variableGrads(() => loss(model, x, labels), [model.variables[0]!]);
    const g = grads[model.variables[0]!.name]!; // lmkit W_ih (G·H, IN); Keras kernel (IN, G·H) in Keras gate order
    const dWih = keras ? fromKeras(kind, g) : g;
    return [logits, value.dataSync() as Float32Array, dWih.dataSync() as Float32Array];
  });
}

interface Measured {
  readonly train: Timing;
  readonly infer: Timing;
  readonly peakBytes: number;
}

/** Times one model's training step and inference, and measures its peak tensor bytes in one step. */
async function measure(ctx: BenchContext, model: Model, x: Tensor, labels: Tensor): Promise<Measured> {
  setSeamKernels('wasm', model.seam);
  const optimizer = tf.train.adam(1e-3);
  const before = tf.memory().numBytes;
  trainStep(model, optimizer, x, labels); // creates Adam's moments outside the profile
  const profile = await tf.profile(() => trainStep(model, optimizer, x, labels));
  const peakBytes = profile.peakBytes - before;
  const train = await ctx.time(`${model.label}: train step`, () => trainStep(model, optimizer, x, labels), { warmup: 1, runs: RUNS, minSampleMs: 0 });
  const inference = await ctx.time(`${model.label}: inference`, () => infer(model, x), { warmup: 2, runs: RUNS });
  optimizer.dispose();
  return { train, infer: inference, peakBytes };
}

/** PyTorch's side: the same train step (LSTM; GRU, reset-after) and LSTM/GRU inference, as JSON on stdout, after torch.ts's prelude. */
const TORCH_SCRIPT = String.raw`
B, T, IN, H, C = cfg['B'], cfg['T'], cfg['IN'], cfg['H'], cfg['C']

out = {'torch': torch.__version__, 'threads': torch.get_num_threads()}
x = torch.randn(B, T, IN); y = torch.randint(0, C, (B * T,))
for kind, cls in (('lstm', nn.LSTM), ('gru', nn.GRU)):
    rnn, head = cls(IN, H, batch_first=True), nn.Linear(H, C)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    def step():
        opt.zero_grad(set_to_none=True)
        nn.functional.cross_entropy(head(rnn(x)[0]).reshape(B * T, C), y).backward()
        opt.step()
    def infer():
        with torch.no_grad(): head(rnn(x)[0])
    out[kind] = {'train': bench(step, cfg['runs']), 'infer': bench(infer, cfg['runs'])}
print(json.dumps(out))
`;

interface TorchResult {
  readonly torch: string;
  readonly threads: number;
  readonly lstm: { readonly train: TorchTiming; readonly infer: TorchTiming };
  readonly gru: { readonly train: TorchTiming; readonly infer: TorchTiming };
}

/** PyTorch's timings, or why there are none. */
function torchTimings(): TorchResult | string {
  return runTorch<TorchResult>(TORCH_SCRIPT, { B, T, IN, H, C, runs: RUNS, threads: TORCH_THREADS }, 10 * 60_000);
}

const cpu = (t: Timing) => t.cpuMedianMs;
const perSecond = (ms: number) => 1000 / ms;

export const recurrent: Suite = {
  name: 'recurrent',
  description:
    `Train step (forward + backward + Adam) and inference of LSTM / GRU(${IN} → ${H}) + Linear to ${C} classes with cross-entropy at every step, ` +
    `B ${B}, T ${T}, on wasm: @tensorflow/tfjs-layers vs @lmkit/recurrent (time and peak tensor bytes); PyTorch CPU in the same run.`,
  async run(ctx) {
    const info = await initBackend('wasm');
    ctx.plan(2 * 3 * 2);
    const notes = [
      `backend wasm, SIMD ${info.simd ? 'yes' : 'no'}, threads ${info.threads ? 'yes' : 'no'}; B ${B}, T ${T}, in ${IN}, H ${H}, classes ${C}, ${RUNS} timed runs (env LMKIT_BENCH_RECURRENT_B, _T, _IN, _H, _CLASSES, _RUNS, _TORCH_THREADS)`,
      'every row: median CPU time of the process (wasm is single-threaded here; PyTorch runs on TORCH_THREADS threads, and its CPU time sums them), which a loaded machine skews less than wall-clock time',
      'peak = the most tensor bytes live at once during one training step (tf.profile), above what was live before it (weights and Adam moments)',
      'GRU: reset-before on both JavaScript sides (tfjs-layers supports no other); PyTorch nn.GRU is reset-after',
    ];
    const torch = torchTimings();
    if (typeof torch === 'string') notes.push(torch);
    else notes.push(`PyTorch ${torch.torch}, CPU, ${torch.threads} thread(s): nn.LSTM / nn.GRU(batch_first) + nn.Linear, F.cross_entropy, torch.optim.Adam`);
    const cases: CaseResult[] = [];
    const rng = new Rng(7);
    const x = rng.randomNormal([B, T, IN]); // (B, T, IN)
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: B * T }, (_, i) => (i * 7919) % C), 'int32'), C).cast('float32')); // (B·T, C)

    for (const kind of ['lstm', 'gru'] as const) {
      const ours = lmkitModel(kind);
      const peer = peerModel(kind, ours, false);
      const peerSeam = peerModel(kind, ours, true);
      const want = probe(kind, peer, x, labels, true);
      const got = probe(kind, ours, x, labels, false);
      const names = ['logits', 'loss', 'dW_ih'];
      want.forEach((w, i) => {
        const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        assertAgree(`${kind}: ${names[i]} (lmkit vs tfjs-layers)`, got[i]!, w, 1e-4 * scale, 1e-3);
      });
      const [p, ps, o] = [await measure(ctx, peer, x, labels), await measure(ctx, peerSeam, x, labels), await measure(ctx, ours, x, labels)];
      [peer, peerSeam, ours].forEach((m) => m.dispose());
      const K = kind.toUpperCase();
      cases.push({ name: `${K} train step: tfjs-layers vs lmkit`, peer: perSecond(cpu(p.train)), lmkit: perSecond(cpu(o.train)), peerTiming: p.train, lmkitTiming: o.train });
      cases.push({ name: `${K} train step: tfjs-layers on the seam kernels vs lmkit`, peer: perSecond(cpu(ps.train)), lmkit: perSecond(cpu(o.train)), peerTiming: ps.train, lmkitTiming: o.train });
      cases.push({ name: `${K} inference: tfjs-layers vs lmkit`, peer: perSecond(cpu(p.infer)), lmkit: perSecond(cpu(o.infer)), peerTiming: p.infer, lmkitTiming: o.infer });
      if (typeof torch !== 'string') {
        const [pt, pti] = [asTiming(torch[kind].train), asTiming(torch[kind].infer)];
        cases.push({ name: `${K} train step: PyTorch vs lmkit`, peer: perSecond(cpu(pt)), lmkit: perSecond(cpu(o.train)), peerTiming: pt, lmkitTiming: o.train });
        cases.push({ name: `${K} inference: PyTorch vs lmkit`, peer: perSecond(cpu(pti)), lmkit: perSecond(cpu(o.infer)), peerTiming: pti, lmkitTiming: o.infer });
      }
      const ms = (t: Timing) => cpu(t).toFixed(0);
      notes.push(
        `${K}: lmkit agrees with tfjs-layers (logits, loss, dW_ih). Median ms (CPU) train step: tfjs-layers ${ms(p.train)}, on the seam kernels ${ms(ps.train)}, lmkit ${ms(o.train)} ` +
          `(${(cpu(p.train) / cpu(o.train)).toFixed(1)}× faster)` +
          (typeof torch === 'string' ? '' : `, PyTorch ${torch[kind].train.cpu_ms.toFixed(0)}`) +
          `; inference: tfjs-layers ${ms(p.infer)}, seam ${ms(ps.infer)}, lmkit ${ms(o.infer)}` +
          (typeof torch === 'string' ? '' : `, PyTorch ${torch[kind].infer.cpu_ms.toFixed(0)}`) +
          `; peak in a train step: tfjs-layers ${MB(p.peakBytes)}, seam ${MB(ps.peakBytes)}, lmkit ${MB(o.peakBytes)}`,
      );
      const speedup = cpu(p.train) / cpu(o.train);
      notes.push(
        `${K} goals: train step ≥ 7× faster than tfjs-layers → ${speedup.toFixed(1)}×, ${speedup >= 7 ? 'met' : 'not met'}; ` +
          `peak no higher than tfjs-layers' → ${(o.peakBytes / p.peakBytes).toFixed(2)}×, ${o.peakBytes <= p.peakBytes ? 'met' : 'not met'} ` +
          `(the issue's absolute goals — train ≤ ${kind === 'lstm' ? 250 : 200} ms, inference ≤ 40 ms — were set on a faster machine; compare with tfjs-layers' times above)`,
      );
    }
    tf.dispose([x, labels]);
    return {
      unit: 'steps/s',
      peer: `@tensorflow/tfjs-layers 4.22 on tfjs-backend-wasm 4.22 kernels (and on the seam kernels, for information); PyTorch CPU ${TORCH_THREADS} thread(s) (PyTorch rows)`,
      lmkit: '@lmkit/recurrent LSTM / GRU (fused recurrence with a hand-written backward pass) and @lmkit/tensor Linear on the seam kernels',
      notes,
      cases,
    };
  },
};
