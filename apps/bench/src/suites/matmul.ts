/**
 * matMul on wasm: tfjs-backend-wasm's own BatchMatMul kernel against the @lmkit/tensor seam's, in
 * the same run (switched with `setSeamKernels`), for every transposeA/transposeB combination at
 * 256×256×256 with batch 16 and batch 1, plus two shapes from the blocks: attention scores (q·kᵀ
 * over 32 heads) and decoding one token through a Linear layer (x·Wᵀ, one row).
 */
import { initBackend, setSeamKernels, tf, type Tensor } from '@lmkit/tensor';
import { assertAgree, type CaseResult, type Suite, type Timing } from '../harness.js';

interface Shape {
  readonly label: string;
  readonly batch: number; // 1: rank-2 operands
  readonly M: number;
  readonly K: number;
  readonly N: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

const COMBOS = [[false, false], [false, true], [true, false], [true, true]] as const;
const flag = (t: boolean) => (t ? 'T' : 'N');

const SHAPES: readonly Shape[] = [
  ...[16, 1].flatMap((batch) =>
    COMBOS.map(([transposeA, transposeB]) => ({
      label: `${flag(transposeA)}${flag(transposeB)} 256×256×256, batch ${batch}`,
      batch, M: 256, K: 256, N: 256, transposeA, transposeB,
    })),
  ),
  { label: 'attention q·kᵀ: 32 heads, T 128, d 64', batch: 32, M: 128, K: 64, N: 128, transposeA: false, transposeB: true },
  { label: 'decode x·Wᵀ: 1 row, 512 → 512', batch: 1, M: 1, K: 512, N: 512, transposeA: false, transposeB: true },
];

function operands({ batch, M, K, N, transposeA, transposeB }: Shape): [Tensor, Tensor] {
  const lead = batch > 1 ? [batch] : [];
  const a = tf.randomUniform([...lead, ...(transposeA ? [K, M] : [M, K])], -1, 1, 'float32', 1);
  const b = tf.randomUniform([...lead, ...(transposeB ? [N, K] : [K, N])], -1, 1, 'float32', 2);
  return [a, b];
}

export const matmul: Suite = {
  name: 'matmul',
  description:
    'matMul on the wasm backend: tfjs-backend-wasm 4.22\'s BatchMatMul kernel vs the @lmkit/tensor seam\'s, ' +
    'every transpose combination, in one run.',
  async run(ctx) {
    const info = await initBackend('wasm');
    ctx.plan(2 * SHAPES.length);
    const cases: CaseResult[] = [];
    for (const shape of SHAPES) {
      const [a, b] = operands(shape);
      const multiply = () => tf.matMul(a, b, shape.transposeA, shape.transposeB);
      // wasm kernels run synchronously: the product is complete when matMul returns.
      const run = () => multiply().dispose();
      const flops = 2 * shape.batch * shape.M * shape.K * shape.N;
      const gflops = (t: Timing) => flops / (t.cpuMedianMs * 1e6);
      // tfjs's scalar loop takes ~0.5 s per batch-16 product: fewer runs of it.
      const peerOptions = flops > 1e8 ? { warmup: 1, runs: 3 } : {};

      setSeamKernels('wasm', false);
      const want = multiply();
      const wantValues = await want.data();
      const peerTiming = await ctx.time(`${shape.label} (tfjs)`, run, peerOptions);
      setSeamKernels('wasm', true);
      const got = multiply();
      assertAgree(shape.label, await got.data(), wantValues, 1e-4, 1e-4);
      const lmkitTiming = await ctx.time(`${shape.label} (lmkit)`, run, { warmup: 2, runs: 9 });

      cases.push({ name: shape.label, peer: gflops(peerTiming), lmkit: gflops(lmkitTiming), peerTiming, lmkitTiming });
      tf.dispose([a, b, want, got]);
    }
    return {
      unit: 'GFLOP/s',
      peer: 'tfjs-backend-wasm BatchMatMul',
      lmkit: '@lmkit/tensor seam BatchMatMul',
      notes: [
        `backend wasm, SIMD ${info.simd ? 'yes' : 'no'}, threads ${info.threads ? 'yes' : 'no'}`,
        'timed in CPU time of this process (the wasm kernels run on this thread; wall-clock medians are in the JSON)',
      ],
      cases,
    };
  },
};
