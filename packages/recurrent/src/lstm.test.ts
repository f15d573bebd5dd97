import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, tf } from '@lmkit/tensor';
import { expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import cases from '../fixtures/lstm.json' with { type: 'json' };
import { LSTM } from './lstm.js';
import { checkLayerCase, type LayerCase } from './testing/fixtures.js';

forceDeviceKernels();

describe('LSTM against torch.nn.LSTM', () => {
  for (const c of cases as LayerCase[]) {
    it(`${c.name}: output, final states and gradients`, async () => {
      const { input_size, hidden_size, num_layers, bias, bidirectional, proj_size } = c.config;
      const lstm = new LSTM({ inputSize: input_size, hiddenSize: hidden_size, numLayers: num_layers, bias, bidirectional, projSize: proj_size });
      await checkLayerCase(lstm, c);
      lstm.dispose();
    });
  }
});

describe('LSTM', () => {
  it("has PyTorch's names and shapes, with weight_hr for a projection", () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, projSize: 2, rng: new Rng(2) });
    expect(lstm.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih_l0', [16, 3]],
      ['weight_hh_l0', [16, 2]],
      ['bias_ih_l0', [16]],
      ['bias_hh_l0', [16]],
      ['weight_hr_l0', [2, 4]],
      ['weight_ih_l1', [16, 2]],
      ['weight_hh_l1', [16, 2]],
      ['bias_ih_l1', [16]],
      ['bias_hh_l1', [16]],
      ['weight_hr_l1', [2, 4]],
    ]);
    expect(lstm.outputSize).toBe(2);
    lstm.dispose();
  });

  it('returns h [L·D, B, P] and c [L·D, B, H] with a projection', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, bidirectional: true, projSize: 3 });
    const x = tf.zeros([2, 5, 3]);
    const { output, state } = lstm.forward(x);
    expect(output.shape).toEqual([2, 5, 6]);
    expect(state.h.shape).toEqual([2, 2, 3]);
    expect(state.c.shape).toEqual([2, 2, 4]);
    tf.dispose([x, output, state.h, state.c]);
    lstm.dispose();
  });

  it('rejects projSize outside [0, hiddenSize − 1]', () => {
    expect(() => new LSTM({ inputSize: 3, hiddenSize: 4, projSize: 4 })).toThrow(ConfigError);
    expect(() => new LSTM({ inputSize: 3, hiddenSize: 4, projSize: 4 })).toThrow(/LSTM.projSize: expected an integer in \[0, 3\], got 4/);
    expect(() => new LSTM({ inputSize: 3, hiddenSize: 4, projSize: -1 })).toThrow(/LSTM.projSize/);
  });

  it('does not leak, forward or backward', async () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, projSize: 2 });
    const x = tf.ones([2, 3, 3]);
    await expectNoLeak(() => lstm.forward(x, { lengths: [3, 1] }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(lstm.forward(x).state.c) as tf.Scalar));
    x.dispose();
    lstm.dispose();
  });
});
