import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, ShapeError, tf } from '@lmkit/tensor';
import { BACKEND, disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import { scaledDotProductAttention } from './index.js';

forceDeviceKernels();
disposeAfterEach();

const [B, H, Tq, Tk, d, dv] = [2, 2, 5, 6, 3, 2];
const tensor = (shape: number[], seed: number) => tf.tensor(testValues(shape.reduce((a, b) => a * b, 1), seed), shape);

type At<T> = (b: number, h: number, i: number, j: number) => T;

/** Float64 attention, row by row: `allowed(b, h, i, j)` and `bias(b, h, i, j)` describe the mask. */
function reference(q: number[], k: number[], v: number[], tq: number, tk: number, allowed: At<boolean>, bias: At<number> = () => 0): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const bh = b * H + h;
      for (let i = 0; i < tq; i++) {
        const scores = Array.from({ length: tk }, (_, j) => {
          if (!allowed(b, h, i, j)) return -Infinity;
          let s = 0;
          for (let c = 0; c < d; c++) s += q[(bh * tq + i) * d + c]! * k[(bh * tk + j) * d + c]!;
          return s / Math.sqrt(d) + bias(b, h, i, j);
        });
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const sum = e.reduce((a, x) => a + x, 0);
        for (let c = 0; c < dv; c++) out.push(e.reduce((a, w, j) => a + (w / sum) * v[(bh * tk + j) * dv + c]!, 0));
      }
    }
  }
  return out;
}

describe('scaledDotProductAttention', () => {
  const q = () => tensor([B, H, Tq, d], 1);
  const k = () => tensor([B, H, Tk, d], 2);
  const v = () => tensor([B, H, Tk, dv], 3);
  const [qv, kv, vv] = [testValues(B * H * Tq * d, 1), testValues(B * H * Tk * d, 2), testValues(B * H * Tk * dv, 3)];

  it('matches a float64 reference without a mask', async () => {
    const { output, weights } = scaledDotProductAttention(q(), k(), v());
    expect(weights).toBeUndefined();
    await expectClose(output, tf.tensor(reference(qv, kv, vv, Tq, Tk, () => true), [B, H, Tq, dv]));
  });

  it('reads a bool mask as PyTorch nn.MultiheadAttention does: true = may not attend', async () => {
    const banned = (b: number, _h: number, i: number, j: number) => (i + 2 * j + b) % 3 === 0 && j !== i; // never a whole row
    const mask = tf.tensor(Array.from({ length: B * Tq * Tk }, (_, n) => banned(Math.floor(n / (Tq * Tk)), 0, Math.floor(n / Tk) % Tq, n % Tk)), [B, 1, Tq, Tk], 'bool');
    const { output, weights } = scaledDotProductAttention(q(), k(), v(), { attnMask: mask, returnWeights: true });
    await expectClose(output, tf.tensor(reference(qv, kv, vv, Tq, Tk, (b, h, i, j) => !banned(b, h, i, j)), [B, H, Tq, dv]));
    const w = await weights!.data();
    for (let n = 0; n < w.length; n++) {
      const [b, i, j] = [Math.floor(n / (H * Tq * Tk)), Math.floor(n / Tk) % Tq, n % Tk];
      if (banned(b, 0, i, j)) expect(w[n]).toBe(0);
    }
  });

  it('adds a float mask, broadcast from (Tq, Tk)', async () => {
    const bias = testValues(Tq * Tk, 4);
    const { output } = scaledDotProductAttention(q(), k(), v(), { attnMask: tf.tensor(bias, [Tq, Tk]) });
    await expectClose(output, tf.tensor(reference(qv, kv, vv, Tq, Tk, () => true, (_b, _h, i, j) => bias[i * Tk + j]!), [B, H, Tq, dv]));
  });

  it('aligns the causal mask bottom-right: query i sees keys up to Tk − Tq + i', async () => {
    const { output, weights } = scaledDotProductAttention(q(), k(), v(), { isCausal: true, returnWeights: true });
    await expectClose(output, tf.tensor(reference(qv, kv, vv, Tq, Tk, (_b, _h, i, j) => j <= Tk - Tq + i), [B, H, Tq, dv]));
    const rows = (await weights!.array()) as number[][][][];
    expect(rows[0]![0]![0]).toEqual([expect.any(Number), expect.any(Number), 0, 0, 0, 0]);
    expect(rows[1]![1]![Tq - 1]!.every((x) => x > 0)).toBe(true);
  });

  it('drops weights with dropout and rescales the rest', async () => {
    const { weights } = scaledDotProductAttention(tf.zeros([1, 1, 40, 2]), tf.zeros([1, 1, 50, 2]), tf.zeros([1, 1, 50, 2]), { dropout: 0.5, rng: new Rng(3), returnWeights: true });
    const w = Array.from(await weights!.data());
    const kept = w.filter((x) => x !== 0);
    expect(kept.length / w.length).toBeGreaterThan(0.4);
    expect(kept.length / w.length).toBeLessThan(0.6);
    for (const x of kept) expect(x).toBeCloseTo(2 / 50, 6);
  });

  it('rejects bad inputs with typed errors naming the argument', () => {
    expect(() => scaledDotProductAttention(tf.zeros([2, 3, 4]), k(), v())).toThrow(/scaledDotProductAttention\(q\): expected rank 4/);
    expect(() => scaledDotProductAttention(q(), tf.zeros([B, H, Tk, d + 1]), v())).toThrow(ShapeError);
    expect(() => scaledDotProductAttention(q(), k(), tf.zeros([B, H, Tk + 1, dv]))).toThrow(/scaledDotProductAttention\(v\)/);
    expect(() => scaledDotProductAttention(q(), k(), v(), { attnMask: tf.zeros([Tq, Tk], 'int32') })).toThrow(/attnMask\): expected dtype bool or float32, got dtype int32/);
    expect(() => scaledDotProductAttention(q(), k(), v(), { attnMask: tf.zeros([Tk, Tq]) })).toThrow(/attnMask\): expected a shape that broadcasts to \[B, H, Tq, Tk\] = \[2, 2, 5, 6\]/);
    expect(() => scaledDotProductAttention(q(), k(), v(), { attnMask: tf.zeros([3, 1, Tq, Tk]) })).toThrow(ShapeError);
    expect(() => scaledDotProductAttention(q(), k(), v(), { attnMask: tf.zeros([Tk]) })).toThrow(ShapeError);
    expect(() => scaledDotProductAttention(k(), q(), tf.zeros([B, H, Tq, dv]), { isCausal: true })).toThrow(/isCausal\): expected at most as many queries as keys/);
    expect(() => scaledDotProductAttention(q(), k(), v(), { dropout: 0.1 })).toThrow(ConfigError);
    expect(() => scaledDotProductAttention(q(), k(), v(), { dropout: 1, rng: new Rng(0) })).toThrow(/dropout/);
    expect(() => scaledDotProductAttention(q(), k(), v(), { blockSize: 0 })).toThrow(/blockSize/);
  });

  it('does not leak, plain and blocked, forward and backward', async () => {
    const [qq, kk, vv2] = [q(), k(), v()];
    for (const blockSize of [undefined, 2]) {
      await expectNoLeak(() => scaledDotProductAttention(qq, kk, vv2, { isCausal: true, returnWeights: true, blockSize, dropout: 0.2, rng: new Rng(1) }));
      await expectNoLeak(() => tf.grads((a, b, c) => tf.sum(scaledDotProductAttention(a!, b!, c!, { attnMask: tf.ones([Tq, Tk]), blockSize }).output))([qq, kk, vv2]));
    }
  });
});

describe('blocked attention', () => {
  // [what, block size, mask]: block sizes that divide Tq = 5 and that do not.
  const masks: Array<[string, number, () => { attnMask?: tf.Tensor; isCausal?: boolean }]> = [
    ['no mask', 2, () => ({})],
    ['causal', 1, () => ({ isCausal: true })],
    ['causal', 3, () => ({ isCausal: true })],
    ['key padding (B, 1, 1, Tk), bool', 4, () => ({ attnMask: tf.tensor([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1].map(Boolean), [B, 1, 1, Tk], 'bool') })],
    ['float (Tq, Tk) and causal', 2, () => ({ attnMask: tensor([Tq, Tk], 7), isCausal: true })],
    ['per-head bool (B, H, Tq, Tk) and causal', 4, () => ({ attnMask: tf.tensor(testValues(B * H * Tq * Tk, 8).map((x) => x > 0.5), [B, H, Tq, Tk], 'bool'), isCausal: true })],
  ];
  for (const [name, blockSize, maskOf] of masks) {
    it(`equals the plain path: ${name}, block ${blockSize} — output, weights, gradients`, async () => {
      const xs = [tensor([B, H, Tq, d], 1), tensor([B, H, Tk, d], 2), tensor([B, H, Tk, dv], 3)];
      const gy = tensor([B, H, Tq, dv], 5);
      const mask = maskOf();
      const plain = scaledDotProductAttention(xs[0]!, xs[1]!, xs[2]!, { ...mask, returnWeights: true });
      const blocked = scaledDotProductAttention(xs[0]!, xs[1]!, xs[2]!, { ...mask, returnWeights: true, blockSize });
      await expectClose(blocked.output, plain.output, 1e-6, 1e-5);
      await expectClose(blocked.weights!, plain.weights!, 1e-6, 1e-5);
      const loss = (size?: number) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(scaledDotProductAttention(a, b, c, { ...mask, blockSize: size }).output, gy));
      const want = tf.grads(loss())(xs);
      const got = tf.grads(loss(blockSize))(xs);
      for (let i = 0; i < 3; i++) await expectClose(got[i]!, want[i]!, 1e-6, 1e-5);
    });
  }

  it('replays its dropout masks in the backward pass', async () => {
    const xs = [tensor([B, H, Tq, d], 1), tensor([B, H, Tk, d], 2), tensor([B, H, Tk, dv], 3)];
    const gy = tensor([B, H, Tq, dv], 5);
    const options = () => ({ isCausal: true, dropout: 0.3, rng: new Rng(9), blockSize: 2, returnWeights: true });
    const { output, weights } = scaledDotProductAttention(xs[0]!, xs[1]!, xs[2]!, options());
    // The returned weights are recomputed with ordinary ops and the same seeds: output = weights · v.
    await expectClose(output, tf.matMul(weights!, xs[2]!), 1e-6, 1e-5);
    const custom = tf.grads((a, b, c) => tf.sum(tf.mul(scaledDotProductAttention(a!, b!, c!, options()).output, gy)))(xs);
    const autodiff = tf.grads((a, b, c) => tf.sum(tf.mul(tf.matMul(scaledDotProductAttention(a!, b!, c!, options()).weights!, c!), gy)))(xs);
    for (let i = 0; i < 3; i++) await expectClose(custom[i]!, autodiff[i]!, 1e-6, 1e-5);
  });

  /** Bytes at the peak of one forward + backward, above what was live before. */
  const peakOf = async (xs: tf.Tensor[], options: { attnMask?: tf.Tensor; blockSize?: number }) => {
    const before = tf.memory().numBytes;
    const info = await tf.profile(() => tf.grads((q, k, v) => tf.sum(scaledDotProductAttention(q!, k!, v!, { isCausal: true, ...options }).output))(xs));
    tf.dispose(info.result as tf.Tensor[]);
    return info.peakBytes - before;
  };

  it('peaks at a fraction of the plain path\'s memory, forward and backward', async () => {
    const [T, dh, block] = [256, 4, 8];
    const xs = [1, 2, 3].map((seed) => tensor([1, 1, T, dh], seed));
    // A (zero) key mask keeps both on the tfjs-ops paths, which wasm's fused kernel would replace.
    const attnMask = tf.zeros([1, T]);
    const [plain, blocked] = [await peakOf(xs, { attnMask }), await peakOf(xs, { attnMask, blockSize: block })];
    // The plain path holds several (T, T) matrices (mask, scores, weights, their gradients); the
    // blocked one (block, T) matrices and O(T · d) inputs and gradients.
    expect(plain).toBeGreaterThan(3 * T * T * 4);
    expect(blocked).toBeLessThan(plain / 8);
  });

  it.runIf(BACKEND === 'wasm')('on wasm, runs causal attention with no (T, T) matrix at all (the fused kernel)', async () => {
    const [T, dh] = [256, 4];
    const xs = [1, 2, 3].map((seed) => tensor([1, 1, T, dh], seed));
    expect(await peakOf(xs, {})).toBeLessThan(T * T);
  });
});
