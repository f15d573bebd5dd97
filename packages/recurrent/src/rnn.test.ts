import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, tf } from '@lmkit/tensor';
import { expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import cases from '../fixtures/rnn.json' with { type: 'json' };
import { RNN } from './rnn.js';
import { checkLayerCase, type LayerCase } from './testing/fixtures.js';

forceDeviceKernels();

describe('RNN against torch.nn.RNN', () => {
  for (const c of cases as LayerCase[]) {
    it(`${c.name}: output, final state and gradients`, async () => {
      const { input_size, hidden_size, num_layers, bias, bidirectional, nonlinearity } = c.config;
      const rnn = new RNN({ inputSize: input_size, hiddenSize: hidden_size, numLayers: num_layers, bias, bidirectional, nonlinearity });
      await checkLayerCase(rnn, c);
      rnn.dispose();
    });
  }
});

describe('RNN', () => {
  it("has PyTorch's parameter names, shapes and init bounds", async () => {
    const rnn = new RNN({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, rng: new Rng(1) });
    expect(rnn.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih_l0', [4, 3]],
      ['weight_hh_l0', [4, 4]],
      ['bias_ih_l0', [4]],
      ['bias_hh_l0', [4]],
      ['weight_ih_l0_reverse', [4, 3]],
      ['weight_hh_l0_reverse', [4, 4]],
      ['bias_ih_l0_reverse', [4]],
      ['bias_hh_l0_reverse', [4]],
      ['weight_ih_l1', [4, 8]],
      ['weight_hh_l1', [4, 4]],
      ['bias_ih_l1', [4]],
      ['bias_hh_l1', [4]],
      ['weight_ih_l1_reverse', [4, 8]],
      ['weight_hh_l1_reverse', [4, 4]],
      ['bias_ih_l1_reverse', [4]],
      ['bias_hh_l1_reverse', [4]],
    ]);
    for (const p of rnn.parameters()) expect(Math.max(...Array.from(await p.data(), Math.abs))).toBeLessThanOrEqual(0.5);
    rnn.dispose();
  });

  it('rejects a bad nonlinearity with a ConfigError naming the field', () => {
    expect(() => new RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: 'gelu' as 'tanh' })).toThrow(ConfigError);
    expect(() => new RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: 'gelu' as 'tanh' })).toThrow(/RNN.nonlinearity: expected 'tanh' or 'relu', got "gelu"/);
  });

  it('does not leak, forward or backward', async () => {
    const rnn = new RNN({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, nonlinearity: 'relu' });
    const x = tf.ones([2, 3, 3]);
    await expectNoLeak(() => rnn.forward(x, { lengths: [3, 1] }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(rnn.forward(x).output) as tf.Scalar));
    x.dispose();
    rnn.dispose();
  });
});
