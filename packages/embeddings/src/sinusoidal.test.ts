import { describe, expect, it } from 'vitest';
import { ShapeError, tf } from '@lmkit/tensor';
import { expectClose, expectNoLeak, fromNested, type Nested } from '@lmkit/testing';
import cases from '../fixtures/sinusoidal.json' with { type: 'json' };
import { SinusoidalPositionalEncoding, sinusoidalTable } from './sinusoidal.js';

interface SinusoidalCase {
  name: string;
  d_model: number;
  offset: number;
  x: Nested;
  y: Nested;
  gy: Nested;
  dx: Nested;
  table: Nested;
}

describe('SinusoidalPositionalEncoding against the PyTorch tutorial', () => {
  for (const c of cases as SinusoidalCase[]) {
    it(`${c.name}: table, output and gradient`, async () => {
      const pe = new SinusoidalPositionalEncoding({ dModel: c.d_model, maxLen: 64 });
      const table = tf.tensor(sinusoidalTable(50, c.d_model), [50, c.d_model]);
      await expectClose(table, c.table, 1e-6);
      const x = fromNested(c.x);
      const gy = fromNested(c.gy);
      await expectClose(pe.forward(x, c.offset), c.y, 1e-5);
      await expectClose(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(pe.forward(v, c.offset), gy)))(x), c.dx, 1e-6);
      tf.dispose([table, x, gy]);
      pe.dispose();
    });
  }
});

describe('SinusoidalPositionalEncoding', () => {
  it('is not in the state dict; rejects odd sizes and positions past maxLen; does not leak', async () => {
    const before = tf.memory().numTensors;
    const pe = new SinusoidalPositionalEncoding({ dModel: 4, maxLen: 6 });
    expect(Object.keys(pe.stateDict())).toEqual([]);
    expect(() => new SinusoidalPositionalEncoding({ dModel: 5 })).toThrow(ShapeError);
    const x = tf.zeros([1, 4, 4]);
    expect(() => pe.forward(x, 3)).toThrow(/SinusoidalPositionalEncoding.forward\(x\): expected at most 6 positions/);
    expect(() => pe.forward(x, -1)).toThrow(/offset/);
    await expectNoLeak(() => pe.forward(x, 2));
    x.dispose();
    pe.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
