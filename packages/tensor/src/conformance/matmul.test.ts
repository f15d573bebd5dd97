/**
 * Conformance of batched `tf.matMul` on every backend: rank 2–4, all four transpose combinations,
 * broadcast batch dimensions, forward and gradients, against a naive float64 triple loop.
 *
 * Porting note: batch dimensions broadcast portably only when one side's batch is 1 or missing. A
 * mixed broadcast such as [2,1,·,·]×[1,3,·,·] gives a [2,3,·,·] tensor holding 3 batches' data on
 * cpu and throws on webgpu (tfjs 4.22; the seam's wasm kernel gets it right), so it is not a
 * supported pattern (`tf.broadcastTo` first) and is not tested.
 */
import { describe, it } from 'vitest';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import { tf } from '../index.js';

forceDeviceKernels();
disposeAfterEach();

interface Case {
  readonly a: readonly number[]; // stored shape of a (after any transpose flag)
  readonly b: readonly number[];
  readonly tA: boolean;
  readonly tB: boolean;
}

const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/** The batch shape (numpy broadcasting) and matrix sizes of op(A)·op(B). */
function dims(c: Case) {
  const [ra, ca] = c.a.slice(-2) as [number, number];
  const [rb, cb] = c.b.slice(-2) as [number, number];
  const [m, k] = c.tA ? [ca, ra] : [ra, ca];
  const n = c.tB ? rb : cb;
  const rank = Math.max(c.a.length, c.b.length) - 2;
  const pad = (s: readonly number[]) => [...Array<number>(rank - (s.length - 2)).fill(1), ...s.slice(0, -2)];
  const batchA = pad(c.a);
  const batchB = pad(c.b);
  const batch = batchA.map((d, i) => Math.max(d, batchB[i]!));
  return { m, k, n, batchA, batchB, batch, outShape: [...batch, m, n] };
}

/**
 * C = op(A)·op(B), and the gradients of L = Σ C ⊙ W with respect to the stored a and b, by the
 * definition: every product a·b adds w·b to ∂a and w·a to ∂b.
 */
function reference(c: Case, a: number[], b: number[], w: number[]) {
  const { m, k, n, batchA, batchB, batch } = dims(c);
  const out = new Array<number>(size(batch) * m * n).fill(0);
  const da = new Array<number>(a.length).fill(0);
  const db = new Array<number>(b.length).fill(0);
  for (let bi = 0; bi < size(batch); bi++) {
    // Each operand's batch offset, its size-1 batch dimensions pinned to index 0.
    let rest = bi;
    let offA = 0;
    let offB = 0;
    let strideA = 1;
    let strideB = 1;
    for (let d = batch.length - 1; d >= 0; d--) {
      const idx = rest % batch[d]!;
      rest = Math.floor(rest / batch[d]!);
      offA += (batchA[d] === 1 ? 0 : idx) * strideA;
      offB += (batchB[d] === 1 ? 0 : idx) * strideB;
      strideA *= batchA[d]!;
      strideB *= batchB[d]!;
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const o = (bi * m + i) * n + j;
        for (let p = 0; p < k; p++) {
          const ia = offA * m * k + (c.tA ? p * m + i : i * k + p);
          const ib = offB * k * n + (c.tB ? j * k + p : p * n + j);
          out[o]! += a[ia]! * b[ib]!;
          da[ia]! += w[o]! * b[ib]!;
          db[ib]! += w[o]! * a[ia]!;
        }
      }
    }
  }
  return { out, da, db };
}

function inputs(c: Case) {
  const { outShape } = dims(c);
  const a = testValues(size(c.a), 1);
  const b = testValues(size(c.b), 2);
  const w = testValues(size(outShape), 3);
  return { a, b, w, outShape, ref: reference(c, a, b, w) };
}

const name = (c: Case) => `[${c.a}]${c.tA ? 'ᵀ' : ''} × [${c.b}]${c.tB ? 'ᵀ' : ''}`;

// op(A) is [.., 3, 4] and op(B) is [.., 4, 5] throughout: no square matrix hides a transposition.
const sameBatch: Case[] = [
  { a: [3, 4], b: [5, 4], tA: false, tB: true }, // Linear: x·Wᵀ
  { a: [2, 3, 4], b: [2, 4, 5], tA: false, tB: false },
  { a: [2, 3, 4], b: [2, 5, 4], tA: false, tB: true },
  { a: [2, 4, 3], b: [2, 4, 5], tA: true, tB: false },
  { a: [2, 4, 3], b: [2, 5, 4], tA: true, tB: true },
  { a: [2, 2, 3, 4], b: [2, 2, 5, 4], tA: false, tB: true }, // attention scores Q·Kᵀ
  { a: [2, 2, 3, 4], b: [2, 2, 4, 5], tA: false, tB: false }, // attention output P·V
];

const broadcast: Case[] = [
  { a: [2, 3, 4], b: [4, 5], tA: false, tB: false },
  { a: [2, 3, 4], b: [5, 4], tA: false, tB: true },
  { a: [1, 3, 4], b: [2, 4, 5], tA: false, tB: false },
  { a: [2, 2, 4, 3], b: [1, 1, 4, 5], tA: true, tB: false },
  { a: [2, 2, 3, 4], b: [2, 4, 5], tA: false, tB: false },
];

describe('matMul', () => {
  it.each([...sameBatch, ...broadcast].map((c) => [name(c), c] as const))('%s forward', async (_, c) => {
    const { a, b, outShape, ref } = inputs(c);
    const y = tf.matMul(tf.tensor(a, [...c.a]), tf.tensor(b, [...c.b]), c.tA, c.tB);
    await expectClose(y, tf.tensor(ref.out, outShape), 1e-5, 1e-5);
  });

  // Broadcast operands get the gradient summed over their broadcast batch dimensions (the seam's
  // BatchMatMul gradient, src/gradients/BatchMatMul.ts; tfjs-core's rejects them).
  it.each([...sameBatch, ...broadcast].map((c) => [name(c), c] as const))('%s gradient', async (_, c) => {
    const { a, b, w, outShape, ref } = inputs(c);
    const weights = tf.tensor(w, outShape);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, c.tA, c.tB), weights));
    const [da, db] = tf.grads(f)([tf.tensor(a, [...c.a]), tf.tensor(b, [...c.b])]);
    await expectClose(da!, tf.tensor(ref.da, [...c.a]), 1e-5, 1e-5);
    await expectClose(db!, tf.tensor(ref.db, [...c.b]), 1e-5, 1e-5);
  });

  it('leaks no tensors, forward or backward', async () => {
    const a = tf.tensor(testValues(24, 1), [2, 3, 4]);
    const b = tf.tensor(testValues(40, 2), [2, 5, 4]);
    await expectNoLeak(() => tf.matMul(a, b, false, true));
    await expectNoLeak(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, false, true)))([a, b]));
    const w = tf.tensor(testValues(20, 3), [5, 4]);
    await expectNoLeak(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, false, true)))([a, w]));
  });
});
