import { describe, expect, it } from 'vitest';
import { ShapeError, tf } from '@lmkit/tensor';
import { expectClose, expectNoLeak, fromNested, testValues, type Nested } from '@lmkit/testing';
import cases from '../fixtures/rotary.json' with { type: 'json' };
import { RotaryEmbedding } from './rotary.js';

interface RotaryCase {
  name: string;
  offset: number;
  base: number;
  interleaved: boolean;
  x: Nested;
  y: Nested;
  gy: Nested;
  dx: Nested;
}

describe('RotaryEmbedding against the reference formulas (LLaMA complex form, rotate_half)', () => {
  for (const c of cases as RotaryCase[]) {
    it(`${c.name}: output and gradient`, async () => {
      const x = fromNested(c.x);
      const gy = fromNested(c.gy);
      const rope = new RotaryEmbedding({ headDim: x.shape[x.rank - 1]!, base: c.base, maxLen: 32, interleaved: c.interleaved });
      await expectClose(rope.forward(x, c.offset), c.y, 1e-5);
      await expectClose(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(rope.forward(v, c.offset), gy)))(x), c.dx, 1e-5);
      tf.dispose([x, gy]);
      rope.dispose();
    });
  }
});

describe('RotaryEmbedding', () => {
  it('makes q·k depend only on the distance between positions', async () => {
    for (const interleaved of [false, true]) {
      const rope = new RotaryEmbedding({ headDim: 6, maxLen: 16, interleaved });
      // The same q and k vectors at every position: [1, 1, T, D].
      const q = tf.tile(tf.tensor(testValues(6, 1), [1, 1, 1, 6]), [1, 1, 8, 1]);
      const k = tf.tile(tf.tensor(testValues(6, 2), [1, 1, 1, 6]), [1, 1, 8, 1]);
      const scores = await tf.matMul(rope.forward(q), rope.forward(k), false, true).data(); // (1, 1, T, T)
      const shifted = await tf.matMul(rope.forward(q, 5), rope.forward(k, 5), false, true).data();
      for (let i = 0; i < 7; i++) expect(scores[(i + 1) * 8 + i + 1]!).toBeCloseTo(scores[0]!, 5); // distance 0
      for (let i = 0; i < 6; i++) expect(scores[(i + 2) * 8 + i]!).toBeCloseTo(scores[2 * 8]!, 5); // distance 2
      for (let i = 0; i < 64; i++) expect(shifted[i]!).toBeCloseTo(scores[i]!, 5);
      tf.dispose([q, k]);
      rope.dispose();
    }
  });

  it('rejects odd head sizes and positions past maxLen; does not leak', async () => {
    expect(() => new RotaryEmbedding({ headDim: 7 })).toThrow(ShapeError);
    const rope = new RotaryEmbedding({ headDim: 4, maxLen: 4, interleaved: true });
    const x = tf.ones([2, 3, 4]);
    expect(() => rope.forward(x, 2)).toThrow(/at most 4 positions/);
    expect(() => rope.forward(tf.ones([2, 3, 6]))).toThrow(/last dimension 4/);
    await expectNoLeak(() => rope.forward(x, 1));
    await expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(rope.forward(v)))(x));
    x.dispose();
    rope.dispose();
  });
});
