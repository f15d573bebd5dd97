import { describe, expect, it } from 'vitest';
import { Rng, tf } from '@lmkit/tensor';
import { expectClose, expectNoLeak } from '@lmkit/testing';
import { LearnedPositionalEmbedding } from './learned-positional.js';

describe('LearnedPositionalEmbedding', () => {
  it('adds rows offset … offset+T−1 of its weight, which gets the summed gradient', async () => {
    const pe = new LearnedPositionalEmbedding({ maxLen: 6, dModel: 2, rng: new Rng(4) });
    expect(pe.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [6, 2]]]);
    const w = await pe.weight.data();
    const x = tf.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]); // (B=2, T=2, C=2)
    const want = [0, 1, 2, 3].map((i) => [1, 2, 3, 4, 5, 6, 7, 8][i]! + w[4 + i]!);
    await expectClose(pe.forward(x, 2), [want, [5 + w[4]!, 6 + w[5]!, 7 + w[6]!, 8 + w[7]!]].map((r) => [r.slice(0, 2), r.slice(2)]), 1e-6);
    const { grads, value } = tf.variableGrads(() => tf.sum(pe.forward(x, 2)) as tf.Scalar);
    await expectClose(grads[pe.weight.name]!, [[0, 0], [0, 0], [2, 2], [2, 2], [0, 0], [0, 0]], 0);
    tf.dispose([x, value, ...Object.values(grads)]);
    pe.dispose();
  });

  it('initialises N(0, 0.02²) by default, rejects positions past maxLen, does not leak', async () => {
    const pe = new LearnedPositionalEmbedding({ maxLen: 100, dModel: 20 });
    const w = Array.from(await pe.weight.data());
    const std = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
    expect(Math.abs(std - 0.02)).toBeLessThan(0.002);
    const x = tf.zeros([1, 60, 20]);
    expect(() => pe.forward(x, 41)).toThrow(/at most 100 positions/);
    await expectNoLeak(() => pe.forward(x, 40));
    x.dispose();
    pe.dispose();
  });
});
