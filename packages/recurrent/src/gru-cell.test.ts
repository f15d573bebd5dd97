import { describe, expect, it } from 'vitest';
import { tf } from '@lmkit/tensor';
import { expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import { GRUCell } from './gru-cell.js';
import { cellCases, checkCellCase } from './testing/fixtures.js';

forceDeviceKernels();

describe('GRUCell against torch.nn.GRUCell (and a reset-before reference in torch)', () => {
  for (const c of cellCases('gru', 'gru_reset_before')) {
    it(`${c.name}: one step and gradients`, async () => {
      const cell = new GRUCell({ inputSize: 3, hiddenSize: 4, bias: c.bias, resetAfter: c.kind === 'gru' });
      await checkCellCase(cell, c);
      cell.dispose();
    });
  }
});

describe('GRUCell', () => {
  it("has PyTorch's names and a one-tensor state", () => {
    const cell = new GRUCell({ inputSize: 3, hiddenSize: 4, resetAfter: false });
    expect(cell.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih', [12, 3]],
      ['weight_hh', [12, 4]],
      ['bias_ih', [12]],
      ['bias_hh', [12]],
    ]);
    expect(cell.stateSize).toEqual([4]);
    cell.dispose();
  });

  it('does not leak, forward or backward, in both variants', async () => {
    const x = tf.ones([2, 3]);
    for (const resetAfter of [true, false]) {
      const cell = new GRUCell({ inputSize: 3, hiddenSize: 4, resetAfter });
      await expectNoLeak(() => cell.forward(x));
      await expectNoLeak(() => tf.variableGrads(() => tf.sum(cell.forward(x)[0]!) as tf.Scalar));
      cell.dispose();
    }
    x.dispose();
  });
});
