import { describe, expect, it } from 'vitest';
import { ShapeError, tf } from '@lmkit/tensor';
import { forceDeviceKernels, fromNested, type Nested } from '@lmkit/testing';
import cases from '../fixtures/gradient_flow.json' with { type: 'json' };
import { gradientFlow } from './gradient-flow.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';
import { loadParams, TOLERANCE } from './testing/fixtures.js';

forceDeviceKernels();

interface FlowCase {
  name: string;
  kind: 'rnn' | 'lstm' | 'gru';
  config: { input_size: number; hidden_size: number; num_layers: number; bidirectional: boolean };
  params: Record<string, Nested>;
  x: Nested;
  norms: number[];
}

const LAYERS = { rnn: RNN, lstm: LSTM, gru: GRU } as const;

describe('gradientFlow against torch.autograd.functional.jacobian', () => {
  for (const c of cases as FlowCase[]) {
    it(`${c.name}: ‖∂h_T/∂x_t‖ for every t`, async () => {
      const { input_size, hidden_size, num_layers, bidirectional } = c.config;
      const layer = new LAYERS[c.kind]({ inputSize: input_size, hiddenSize: hidden_size, numLayers: num_layers, bidirectional });
      loadParams(layer, c.params);
      const x = fromNested(c.x);
      const norms = await gradientFlow(layer, x);
      expect(norms).toHaveLength(c.norms.length);
      norms.forEach((n, t) => expect(Math.abs(n - c.norms[t]!)).toBeLessThanOrEqual(TOLERANCE.atol + TOLERANCE.rtol * c.norms[t]!));
      x.dispose();
      layer.dispose();
    });
  }
});

describe('gradientFlow', () => {
  it('measures in eval mode, restores the mode, and does not leak', async () => {
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, dropout: 0.5 });
    const x = tf.ones([2, 4, 2]);
    const first = await gradientFlow(lstm, x);
    const before = tf.memory().numTensors;
    expect(await gradientFlow(lstm, x)).toEqual(first);
    expect(tf.memory().numTensors).toBe(before);
    expect(lstm.training).toBe(true);
    lstm.eval();
    await gradientFlow(lstm, x);
    expect(lstm.training).toBe(false);
    x.dispose();
    lstm.dispose();
  });

  it('checks its input', async () => {
    const rnn = new RNN({ inputSize: 2, hiddenSize: 3 });
    const x = tf.ones([2, 4, 3]);
    await expect(gradientFlow(rnn, x)).rejects.toThrow(ShapeError);
    await expect(gradientFlow(rnn, x)).rejects.toThrow(/gradientFlow\(x\): expected last dimension 2, got shape \[2, 4, 3\]/);
    x.dispose();
    rnn.dispose();
  });
});
