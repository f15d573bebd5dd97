import { describe, expect, it } from 'vitest';
import { ConfigError, tf } from '@lmkit/tensor';
import { expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import cases from '../fixtures/gru.json' with { type: 'json' };
import { GRU } from './gru.js';
import { checkLayerCase, type LayerCase } from './testing/fixtures.js';

forceDeviceKernels();

describe('GRU against torch.nn.GRU (and a reset-before reference in torch)', () => {
  for (const c of cases as LayerCase[]) {
    it(`${c.name}: output, final state and gradients`, async () => {
      const { input_size, hidden_size, num_layers, bias, bidirectional, reset_after } = c.config;
      const gru = new GRU({ inputSize: input_size, hiddenSize: hidden_size, numLayers: num_layers, bias, bidirectional, resetAfter: reset_after });
      await checkLayerCase(gru, c);
      gru.dispose();
    });
  }
});

describe('GRU', () => {
  it("has PyTorch's names and shapes (gates r, z, n stacked in 3H rows)", () => {
    const gru = new GRU({ inputSize: 3, hiddenSize: 4, bias: false });
    expect(gru.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih_l0', [12, 3]],
      ['weight_hh_l0', [12, 4]],
    ]);
    gru.dispose();
  });

  it('rejects a non-boolean resetAfter', () => {
    expect(() => new GRU({ inputSize: 3, hiddenSize: 4, resetAfter: 1 as unknown as boolean })).toThrow(ConfigError);
    expect(() => new GRU({ inputSize: 3, hiddenSize: 4, resetAfter: 1 as unknown as boolean })).toThrow(/GRU.resetAfter: expected a boolean, got 1/);
  });

  it('does not leak, forward or backward, in both variants', async () => {
    const x = tf.ones([2, 3, 3]);
    for (const resetAfter of [true, false]) {
      const gru = new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, resetAfter });
      await expectNoLeak(() => gru.forward(x, { lengths: [2, 3] }));
      await expectNoLeak(() => tf.variableGrads(() => tf.sum(gru.forward(x).output) as tf.Scalar));
      gru.dispose();
    }
    x.dispose();
  });
});
