import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, tf } from '@lmkit/tensor';
import { expectClose, expectNoLeak } from '@lmkit/testing';
import { AxialPositionalEncoding } from './axial.js';

describe('AxialPositionalEncoding', () => {
  it('has Hugging Face names and layouts', () => {
    const pe = new AxialPositionalEncoding({ axialShape: [4, 3], axialDims: [2, 5] });
    expect(pe.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weights.0', [4, 1, 2]],
      ['weights.1', [1, 3, 5]],
    ]);
    expect([pe.maxLen, pe.dModel, pe.numParameters()]).toEqual([12, 7, 4 * 2 + 3 * 5]);
    pe.dispose();
  });

  it('position p = (i, j) gets [w0[i], w1[j]] in row-major order, from the offset', async () => {
    const pe = new AxialPositionalEncoding({ axialShape: [3, 2], axialDims: [1, 2], rng: new Rng(2) });
    const w0 = await pe.weights.list[0]!.data(); // (3, 1, 1)
    const w1 = await pe.weights.list[1]!.data(); // (1, 2, 2)
    const want = [];
    for (let p = 1; p < 5; p++) {
      const [i, j] = [Math.floor(p / 2), p % 2];
      want.push([w0[i]!, w1[2 * j]!, w1[2 * j + 1]!]);
    }
    const x = tf.zeros([1, 4, 3]);
    await expectClose(pe.forward(x, 1), [want], 1e-7);
    expect(() => pe.forward(x, 3)).toThrow(/at most 6 positions/);
    const { grads, value } = tf.variableGrads(() => tf.sum(pe.forward(x, 1)) as tf.Scalar);
    // Positions 1…4 = (0,1), (1,0), (1,1), (2,0): rows i 0,1,1,2 and columns j 1,0,1,0.
    await expectClose(grads[pe.weights.list[0]!.name]!, [[[1]], [[2]], [[1]]], 0);
    await expectClose(grads[pe.weights.list[1]!.name]!, [[[2, 2], [2, 2]]], 0);
    tf.dispose([x, value, ...Object.values(grads)]);
    pe.dispose();
  });

  it('rejects mismatched axes and does not leak', async () => {
    expect(() => new AxialPositionalEncoding({ axialShape: [4, 4], axialDims: [8] })).toThrow(ConfigError);
    expect(() => new AxialPositionalEncoding({ axialShape: [4, 0], axialDims: [8, 8] })).toThrow(/axialShape\[1\]/);
    const pe = new AxialPositionalEncoding({ axialShape: [2, 2], axialDims: [2, 2] });
    const x = tf.ones([2, 3, 4]);
    await expectNoLeak(() => pe.forward(x));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(pe.forward(x)) as tf.Scalar));
    x.dispose();
    pe.dispose();
  });
});
