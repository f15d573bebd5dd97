// Conformance of the seam's wasm BatchMatMul with tfjs-backend-wasm's own kernel, on every path:
// folded batch, the seam's GEMM per batch and across its K/M/N blocks, the row-by-row path for
// few rows, broadcast and degenerate shapes.
import { describe, expect, it, vi } from 'vitest';
import { tf, setSeamKernels, type Tensor } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak } from '@lmkit/testing';

/** `fn` on tfjs's own wasm kernels, with the seam's switched off. */
function original<T>(fn: () => T): T {
  setSeamKernels('wasm', false);
  try {
    return fn();
  } finally {
    setSeamKernels('wasm', true);
  }
}

const random = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** Operands for out [...outer, M, N] = a [...outerA, M, K] · b [...outerB, K, N], laid out per transpose. */
function operands(outerA: number[], outerB: number[], M: number, K: number, N: number, tA: boolean, tB: boolean): [Tensor, Tensor] {
  return [random([...outerA, ...(tA ? [K, M] : [M, K])], 1), random([...outerB, ...(tB ? [N, K] : [K, N])], 2)];
}

const COMBOS = [[false, false], [false, true], [true, false], [true, true]] as const;

// [name, outerA, outerB, M, K, N]
const CASES: Array<[string, number[], number[], number, number, number]> = [
  ['rank 2, odd sizes, few rows (row by row)', [], [], 3, 5, 7],
  ['rank 2, many rows (the GEMM)', [], [], 17, 24, 10],
  ['batch N · N, many rows (the GEMM per batch)', [4], [4], 9, 5, 7],
  ['batch N · N past the GEMM blocks (M 80 > 72, K 300 > 256, N 530 > 512)', [2], [2], 80, 300, 530],
  ['batch N · N, few rows (row by row)', [4], [4], 3, 5, 7],
  ['batch N · rank 2 (folded into the GEMM rows)', [4], [], 9, 5, 7],
  ['batch N · batch 1 (folded into the GEMM rows)', [4], [1], 3, 5, 7],
  ['batch 1 · batch N (left operand broadcast)', [1], [4], 9, 5, 7],
  ['rank 2 · batch N', [], [3], 9, 6, 4],
  ['rank 4', [2, 3], [2, 3], 9, 5, 7],
  ['size-1 dims', [1], [1], 1, 1, 1],
  ['K = 1', [2], [2], 9, 1, 6],
  ['N = 1 and M = 1', [3], [3], 1, 5, 1],
];

describe.runIf(BACKEND === 'wasm')('BatchMatMul (seam, wasm)', () => {
  for (const [name, outerA, outerB, M, K, N] of CASES) {
    for (const [tA, tB] of COMBOS) {
      it(`${name}, transposeA=${tA} transposeB=${tB}: equals tfjs's kernel`, async () => {
        const [a, b] = operands(outerA, outerB, M, K, N, tA, tB);
        const want = original(() => tf.matMul(a, b, tA, tB));
        const got = tf.matMul(a, b, tA, tB);
        await expectClose(got, want, 1e-5, 1e-5);
        tf.dispose([a, b, want, got]);
      });
    }
  }

  it('broadcasts batch dims in full ([2, 1] with [1, 3]), which tfjs cannot', async () => {
    for (const [tA, tB] of COMBOS) {
      const [a, b] = operands([2, 1], [1, 3], 9, 5, 7, tA, tB);
      const want = original(() => tf.matMul(tf.tile(a, [1, 3, 1, 1]), tf.tile(b, [2, 1, 1, 1]), tA, tB));
      await expectClose(tf.matMul(a, b, tA, tB), want, 1e-5, 1e-5);
    }
  });

  it('gives empty results for empty dims and zeros for K = 0', async () => {
    for (const [tA, tB] of COMBOS) {
      const empty = tf.matMul(...operands([2], [2], 0, 5, 7, tA, tB), tA, tB);
      expect(empty.shape).toEqual([2, 0, 7]);
      await expectClose(tf.matMul(...operands([2], [], 9, 0, 3, tA, tB), tA, tB), tf.zeros([2, 9, 3]));
    }
  });

  it('gives every matMul gradient as tfjs does', async () => {
    for (const [tA, tB] of COMBOS) {
      const [a, b] = operands([3], [], 9, 5, 7, tA, tB);
      const grads = () => tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.square(tf.matMul(x, y, tA, tB))))([a, b]);
      const want = original(grads);
      const got = grads();
      await expectClose(got[0]!, want[0]!, 1e-4, 1e-4);
      await expectClose(got[1]!, want[1]!, 1e-4, 1e-4);
    }
  });

  it('multiplies by a weight reused under another shape (tfjs aborts: its cache ignores shapes)', async () => {
    const w = random([8, 12], 3);
    await expectClose(tf.matMul(random([9, 8], 4), w), original(() => tf.matMul(random([9, 8], 4), w)));
    const reshaped = tf.reshape(w, [12, 8]); // same data id, other shape
    const x = random([9, 12], 5);
    await expectClose(tf.matMul(x, reshaped), tf.matMul(x, tf.clone(reshaped)));
  });

  it('reuses no packed operand across calls: new right operands give new products', async () => {
    const x = random([4, 9, 6], 6);
    for (const seed of [7, 8, 9]) {
      const w = random([4, 6, 5], seed);
      await expectClose(tf.matMul(x, w), original(() => tf.matMul(x, w)));
      w.dispose();
    }
  });

  it('releases every temporary C id and intermediate tensor', async () => {
    const backend = tf.backend() as unknown as {
      wasm: { tfjs: { registerTensor(id: number, ...rest: number[]): void; disposeData(id: number): void } };
      dataIdMap: { get(dataId: object): { id: number } };
      numDataIds(): number;
    };
    const registered = vi.spyOn(backend.wasm.tfjs, 'registerTensor');
    const disposed = vi.spyOn(backend.wasm.tfjs, 'disposeData');
    for (const [outerA, outerB] of [[[4], [4]], [[4], []], [[1], [4]]]) {
      for (const [tA, tB] of COMBOS) {
        const [a, b] = operands(outerA!, outerB!, 9, 5, 7, tA, tB);
        const dataIds = backend.numDataIds();
        registered.mockClear();
        disposed.mockClear();
        const out = tf.matMul(a, b, tA, tB);
        const live = registered.mock.calls.map(([id]) => id).filter((id) => !disposed.mock.calls.some(([d]) => d === id));
        expect(live).toEqual([backend.dataIdMap.get(out.dataId).id]);
        out.dispose();
        expect(backend.numDataIds()).toBe(dataIds);
        tf.dispose([a, b]);
      }
    }
    registered.mockRestore();
    disposed.mockRestore();
  });

  it('does not leak', async () => {
    for (const [tA, tB] of COMBOS) {
      const [a, b] = operands([4], [4], 9, 5, 7, tA, tB);
      await expectNoLeak(() => tf.matMul(a, b, tA, tB));
      tf.dispose([a, b]);
    }
  });
});
