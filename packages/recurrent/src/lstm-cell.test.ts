import { describe, expect, it } from 'vitest';
import { tf } from '@lmkit/tensor';
import { expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import { LSTMCell } from './lstm-cell.js';
import { cellCases, checkCellCase } from './testing/fixtures.js';

forceDeviceKernels();

describe('LSTMCell against torch.nn.LSTMCell', () => {
  for (const c of cellCases('lstm')) {
    it(`${c.name}: one step and gradients`, async () => {
      const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4, bias: c.bias });
      await checkCellCase(cell, c);
      cell.dispose();
    });
  }
});

describe('LSTMCell', () => {
  it("has PyTorch's names and an (h, c) state", () => {
    const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4 });
    expect(cell.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih', [16, 3]],
      ['weight_hh', [16, 4]],
      ['bias_ih', [16]],
      ['bias_hh', [16]],
    ]);
    expect(cell.stateSize).toEqual([4, 4]);
    cell.dispose();
  });

  it('rejects a state with a missing c', () => {
    const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4 });
    const x = tf.zeros([2, 3]);
    const h = tf.zeros([2, 4]);
    expect(() => cell.forward(x, [h])).toThrow(/LSTMCell.forward\(state\): expected 2 state tensor\(s\), got 1/);
    tf.dispose([x, h]);
    cell.dispose();
  });

  it('does not leak, forward or backward', async () => {
    const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4 });
    const x = tf.ones([2, 3]);
    await expectNoLeak(() => cell.forward(x));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(cell.forward(x)[1]!) as tf.Scalar));
    x.dispose();
    cell.dispose();
  });
});
