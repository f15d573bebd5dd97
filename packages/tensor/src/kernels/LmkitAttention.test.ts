// The seam's fused attention kernels (LmkitAttention and its gradient) on wasm, against the same
// attention written out in tfjs ops on the same backend; elsewhere, fusedAttention says it cannot run.
import { describe, expect, it } from 'vitest';
import { ConfigError, fusedAttention, fusedAttentionAvailable, setSeamKernels, tf, type Tensor } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak, testValues } from '@lmkit/testing';

/** softmax(q·kᵀ·scale + causal)·v in plain tfjs ops. */
function reference(q: Tensor, k: Tensor, v: Tensor, scale: number, causal: boolean): Tensor {
  const [Tq, Tk] = [q.shape[2]!, k.shape[2]!];
  let scores = tf.mul(tf.matMul(q, k, false, true), scale);
  if (causal) {
    const query = tf.range(0, Tq, 1, 'int32').reshape([Tq, 1]);
    const key = tf.range(0, Tk, 1, 'int32').reshape([1, Tk]);
    scores = tf.where(tf.greater(key, tf.add(query, Tk - Tq)), tf.fill([Tq, Tk], -Infinity), scores);
  }
  return tf.matMul(tf.softmax(scores), v);
}

const tensor = (shape: number[], seed: number) => tf.tensor(testValues(shape.reduce((a, b) => a * b, 1), seed).map((x) => 2 * x), shape);

interface Case {
  readonly name: string;
  readonly B: number;
  readonly H: number;
  readonly Tq: number;
  readonly Tk: number;
  readonly d: number;
  readonly dv: number;
  readonly causal: boolean;
}

const CASES: Case[] = [
  { name: 'causal self-attention, T a multiple of the blocks', B: 1, H: 2, Tq: 16, Tk: 16, d: 8, dv: 8, causal: true },
  { name: 'causal, T and head sizes off the 4- and 8-blocks', B: 2, H: 3, Tq: 13, Tk: 13, d: 5, dv: 3, causal: true },
  { name: 'causal, fewer queries than keys (bottom-right)', B: 1, H: 2, Tq: 5, Tk: 19, d: 4, dv: 6, causal: true },
  { name: 'one query over a cache', B: 2, H: 1, Tq: 1, Tk: 9, d: 7, dv: 7, causal: true },
  { name: 'no mask, cross-attention', B: 1, H: 2, Tq: 6, Tk: 11, d: 9, dv: 2, causal: false },
  { name: 'no mask, one key', B: 1, H: 1, Tq: 3, Tk: 1, d: 4, dv: 4, causal: false },
];

describe.runIf(BACKEND === 'wasm')('fusedAttention (seam kernels LmkitAttention, LmkitAttentionGrad on wasm)', () => {
  it('is available after initBackend', () => {
    expect(fusedAttentionAvailable()).toBe(true);
  });

  for (const c of CASES) {
    it(`${c.name}: output and the gradients of q, k, v equal tfjs ops`, async () => {
      const q = tensor([c.B, c.H, c.Tq, c.d], 1);
      const k = tensor([c.B, c.H, c.Tk, c.d], 2);
      const v = tensor([c.B, c.H, c.Tk, c.dv], 3);
      const dy = tensor([c.B, c.H, c.Tq, c.dv], 4);
      const scale = 1 / Math.sqrt(c.d);
      const loss = (f: typeof reference) => (a: Tensor, b: Tensor, w: Tensor) => tf.sum(tf.mul(f(a, b, w, scale, c.causal), dy));
      const fused = (a: Tensor, b: Tensor, w: Tensor, s: number, causal: boolean) => fusedAttention(a, b, w, { scale: s, causal });
      await expectClose(fused(q, k, v, scale, c.causal), reference(q, k, v, scale, c.causal), 1e-5, 1e-5);
      const expected = tf.grads(loss(reference))([q, k, v]);
      const actual = tf.grads(loss(fused))([q, k, v]);
      for (let i = 0; i < 3; i++) await expectClose(actual[i]!, expected[i]!, 1e-5, 1e-5);
    });
  }

  it('matches tfjs ops at T = 300 with large scores (the exp of very negative numbers)', async () => {
    const q = tf.mul(tensor([1, 1, 300, 16], 5), 8);
    const k = tensor([1, 1, 300, 16], 6);
    const v = tensor([1, 1, 300, 16], 7);
    await expectClose(fusedAttention(q, k, v, { causal: true }), reference(q, k, v, 0.25, true), 1e-5, 1e-5);
  });

  it('does not leak, forward or backward', async () => {
    const q = tensor([1, 2, 9, 4], 1);
    const k = tensor([1, 2, 9, 4], 2);
    const v = tensor([1, 2, 9, 4], 3);
    await expectNoLeak(() => fusedAttention(q, k, v, { causal: true }));
    await expectNoLeak(() => tf.grads((a: Tensor) => tf.sum(fusedAttention(a, k, v, { causal: true })))([q]));
  });

  it('rejects mismatched shapes and a causal pass with more queries than keys', () => {
    const x = tensor([1, 2, 4, 3], 1);
    expect(() => fusedAttention(x, tensor([1, 2, 4, 5], 2), x)).toThrow(/fusedAttention\(k\).*\[1, 2, Tk, 3\]/);
    expect(() => fusedAttention(x, x, tensor([1, 1, 4, 3], 2))).toThrow(/fusedAttention\(v\)/);
    expect(() => fusedAttention(x, tensor([1, 2, 2, 3], 2), tensor([1, 2, 2, 3], 3), { causal: true })).toThrow(/at most as many queries as keys/);
  });

  it('is off, and says so, with the seam kernels switched off', () => {
    setSeamKernels('wasm', false);
    try {
      expect(fusedAttentionAvailable()).toBe(false);
      const x = tensor([1, 1, 2, 2], 1);
      expect(() => fusedAttention(x, x, x)).toThrow(ConfigError);
    } finally {
      setSeamKernels('wasm', true);
    }
  });
});

describe.runIf(BACKEND !== 'wasm')(`fusedAttention on ${BACKEND}`, () => {
  it('is not available, and says what it needs', () => {
    expect(fusedAttentionAvailable()).toBe(false);
    const x = tf.zeros([1, 1, 2, 2]);
    expect(() => fusedAttention(x, x, x)).toThrow(/fusedAttention\(backend\).*wasm/);
  });
});
