import { describe, expect, it } from 'vitest';
import { tf, ConfigError } from '@lmkit/tensor';
import { expectClose, expectNoLeak, testValues } from '@lmkit/testing';
import { ChunkedFeedForward } from '@lmkit/reformer';

describe('ChunkedFeedForward', () => {
  for (const activation of ['relu', 'gelu'] as const) {
    it(`${activation}: any number of chunks gives the unchunked result, forward and gradients`, async () => {
      const x = tf.tensor(testValues(2 * 7 * 4, 1), [2, 7, 4]);
      const whole = new ChunkedFeedForward({ dModel: 4, dFF: 6, activation, seed: 2 });
      const loss = (m: ChunkedFeedForward) => () => tf.sum(tf.square(m.forward(x))) as tf.Scalar;
      const ref = tf.variableGrads(loss(whole));
      for (const chunks of [2, 3, 7, 20]) {
        const chunked = new ChunkedFeedForward({ dModel: 4, dFF: 6, activation, chunks, seed: 2 });
        const got = tf.variableGrads(loss(chunked));
        await expectClose(got.value, ref.value, 1e-5);
        const refParams = new Map(whole.namedParameters());
        for (const [name, p] of chunked.namedParameters()) await expectClose(got.grads[p.name]!, ref.grads[refParams.get(name)!.name]!, 1e-5);
        tf.dispose([got.value, ...Object.values(got.grads)]);
        chunked.dispose();
      }
      tf.dispose([x, ref.value, ...Object.values(ref.grads)]);
      whole.dispose();
    });
  }

  it('gelu is the exact erf form', async () => {
    const ff = new ChunkedFeedForward({ dModel: 1, dFF: 1, activation: 'gelu' });
    ff.loadStateDict({ 'linear1.weight': tf.ones([1, 1]), 'linear1.bias': tf.zeros([1]), 'linear2.weight': tf.ones([1, 1]), 'linear2.bias': tf.zeros([1]) });
    const x = tf.tensor([-2, -0.5, 0, 1, 3], [1, 5, 1]);
    const y = ff.forward(x);
    // 0.5·x·(1 + erf(x/√2)) from scipy.special.erf.
    await expectClose(y, [[[-0.04550026], [-0.15426877], [0], [0.84134475], [2.99595031]]], 1e-5);
    tf.dispose([x, y]);
    ff.dispose();
  });

  it('has names linear1.*, linear2.*, rejects bad configs and does not leak', async () => {
    expect(() => new ChunkedFeedForward({ dModel: 4, chunks: 0 })).toThrow(ConfigError);
    expect(() => new ChunkedFeedForward({ dModel: 4, activation: 'tanh' as 'relu' })).toThrow(/activation/);
    const ff = new ChunkedFeedForward({ dModel: 4, dFF: 8, chunks: 3 });
    expect(Object.keys(ff.stateDict())).toEqual(['linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias']);
    const x = tf.tensor(testValues(1 * 5 * 4), [1, 5, 4]);
    await expectNoLeak(() => ff.forward(x));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(ff.forward(x)) as tf.Scalar));
    x.dispose();
    ff.dispose();
  });
});
