/**
 * Conformance of `tf.gather` on every backend: embedding lookups (axis 0), gathers along an inner
 * axis and per-row picks (`batchDims` 1), float32 and int32 tables, and the gradient with repeated
 * indices (a scatter-add, tfjs's `UnsortedSegmentSum`), against a plain-JavaScript index map.
 */
import { describe, expect, it } from 'vitest';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import { tf } from '../index.js';

forceDeviceKernels();
disposeAfterEach();

interface Case {
  readonly name: string;
  readonly x: readonly number[];
  readonly indices: readonly number[];
  readonly idxShape: readonly number[];
  readonly axis: number;
  readonly batchDims: number;
}

const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/**
 * For each output element, the flat index of the element of x it reads: x viewed as
 * [batch, outer, axisDim, inner], indices as [batch, nIdx], the output as [batch, outer, nIdx, inner].
 */
function sourceMap(c: Case): { outShape: number[]; source: number[] } {
  const batch = size(c.x.slice(0, c.batchDims));
  const outer = size(c.x.slice(c.batchDims, c.axis));
  const axisDim = c.x[c.axis]!;
  const inner = size(c.x.slice(c.axis + 1));
  const nIdx = size(c.idxShape.slice(c.batchDims));
  const source: number[] = [];
  for (let b = 0; b < batch; b++)
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < nIdx; j++)
        for (let i = 0; i < inner; i++) source.push(((b * outer + o) * axisDim + c.indices[b * nIdx + j]!) * inner + i);
  return { outShape: [...c.x.slice(0, c.axis), ...c.idxShape.slice(c.batchDims), ...c.x.slice(c.axis + 1)], source };
}

/** Weights w for L = Σ w ⊙ gather(x), and ∂L/∂x: w scattered back through the index map. */
function gradientCase(c: Case) {
  const { outShape, source } = sourceMap(c);
  const w = testValues(source.length, 2);
  const want = new Array<number>(size(c.x)).fill(0);
  source.forEach((s, o) => (want[s]! += w[o]!));
  return { outShape, w, want };
}

// Every case repeats an index and leaves one out, so the gradient has sums and zeros. The batchDims
// cases have a number of indices per batch other than the batch size (wasm's own kernel fails
// those; the seam's kernels/GatherV2.ts replaces it).
const cases: Case[] = [
  // Embedding: table [V=5, C=3], token ids [B=2, T=4].
  { name: 'axis 0 (embedding)', x: [5, 3], indices: [4, 0, 2, 4, 1, 1, 4, 0], idxShape: [2, 4], axis: 0, batchDims: 0 },
  // Rows of 9 with repeats: [6, 9] → [5, 9] (wasm copies slices of ≥ 8 elements itself).
  { name: 'axis 0, rows of 9', x: [6, 9], indices: [5, 0, 2, 5, 1], idxShape: [5], axis: 0, batchDims: 0 },
  // Slices of 8 under an outer dim: [2, 4, 8] → [2, 3, 8].
  { name: 'axis 1, slices of 8', x: [2, 4, 8], indices: [3, 0, 3], idxShape: [3], axis: 1, batchDims: 0 },
  // Inner axis: [2, 5, 3] → [2, 4, 3], e.g. picking time steps.
  { name: 'axis 1', x: [2, 5, 3], indices: [3, 0, 3, 1], idxShape: [4], axis: 1, batchDims: 0 },
  // Per-row pick: [B=2, V=5] with ids [B=2, 3] → [2, 3], e.g. the log-probability of each target.
  { name: 'axis 1, batchDims 1', x: [2, 5], indices: [4, 0, 4, 2, 2, 1], idxShape: [2, 3], axis: 1, batchDims: 1 },
  // One target per row, as a loss picks log-probabilities: [N=4, V=5] with ids [4, 1] → [4, 1].
  { name: 'one index per row, batchDims 1', x: [4, 5], indices: [3, 0, 3, 4], idxShape: [4, 1], axis: 1, batchDims: 1 },
  // An inner axis under a batch: [2, 3, 4] with ids [2, 5] along axis 2 → [2, 3, 5].
  { name: 'axis 2, batchDims 1', x: [2, 3, 4], indices: [3, 0, 3, 1, 1, 2, 2, 0, 3, 2], idxShape: [2, 5], axis: 2, batchDims: 1 },
  // Two batch dimensions: [2, 3, 4] with ids [2, 3, 2] → [2, 3, 2].
  { name: 'axis 2, batchDims 2', x: [2, 3, 4], indices: [3, 3, 0, 1, 2, 2, 1, 0, 3, 0, 2, 2], idxShape: [2, 3, 2], axis: 2, batchDims: 2 },
];

describe('gather', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s forward', async (_, c) => {
    const x = testValues(size(c.x), 1);
    const { outShape, source } = sourceMap(c);
    const y = tf.gather(tf.tensor(x, [...c.x]), tf.tensor(c.indices, [...c.idxShape], 'int32'), c.axis, c.batchDims);
    await expectClose(y, tf.tensor(source.map((s) => x[s]!), outShape), 0, 0);
  });

  it.each([0, 1])('gathers int32 tables exactly (case %i)', async (n) => {
    const c = cases[n]!; // rows of 3, then rows of 9
    const x = Array.from({ length: size(c.x) }, (_, i) => 1000 * i - 7);
    const { outShape, source } = sourceMap(c);
    const y = tf.gather(tf.tensor(x, [...c.x], 'int32'), tf.tensor(c.indices, [...c.idxShape], 'int32'), c.axis);
    await expectClose(y, tf.tensor(source.map((s) => x[s]!), outShape, 'int32'), 0, 0);
    expect(y.dtype).toBe('int32');
  });

  /** Checks the gradient of Σ w ⊙ gather(x) against the scatter-add of w through the index map. */
  async function checkGradient(c: Case) {
    const { outShape, w, want } = gradientCase(c);
    const indices = tf.tensor(c.indices, [...c.idxShape], 'int32');
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, indices, c.axis, c.batchDims), tf.tensor(w, outShape)));
    const g = tf.grad(loss)(tf.tensor(testValues(size(c.x), 1), [...c.x]));
    await expectClose(g, tf.tensor(want, [...c.x]), 1e-6, 1e-6);
  }

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s gradient sums repeated indices',
    async (_, c) => checkGradient(c),
  );

  it('gradient reaches a variable through variableGrads (an embedding table)', async () => {
    const c = cases[0]!;
    const { outShape, w, want } = gradientCase(c);
    const table = tf.variable(tf.tensor(testValues(size(c.x), 1), [...c.x]));
    const indices = tf.tensor(c.indices, [...c.idxShape], 'int32');
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, indices), tf.tensor(w, outShape))));
    await expectClose(grads[table.name]!, tf.tensor(want, [...c.x]), 1e-6, 1e-6);
    table.dispose();
  });

  it('leaks no tensors, forward or backward', async () => {
    const x = tf.tensor(testValues(15, 1), [5, 3]);
    const indices = tf.tensor([4, 0, 4, 1], [2, 2], 'int32');
    await expectNoLeak(() => tf.gather(x, indices));
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, indices)))(x));
  });
});
