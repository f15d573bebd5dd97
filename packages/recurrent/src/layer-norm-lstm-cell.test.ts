import { describe, expect, it } from 'vitest';
import { tf } from '@lmkit/tensor';
import { expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import { LayerNormLSTMCell } from './layer-norm-lstm-cell.js';
import { cellCases, checkCellCase } from './testing/fixtures.js';

forceDeviceKernels();

describe('LayerNormLSTMCell against Ba et al. (2016) written in torch', () => {
  for (const c of cellCases('ln_lstm')) {
    it(`${c.name}: one step and gradients`, async () => {
      const cell = new LayerNormLSTMCell({ inputSize: 3, hiddenSize: 4 });
      await checkCellCase(cell, c);
      cell.dispose();
    });
  }
});

describe('LayerNormLSTMCell', () => {
  it('names its weights and LayerNorms as custom_lstms.py', () => {
    const cell = new LayerNormLSTMCell({ inputSize: 3, hiddenSize: 4 });
    expect(cell.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih', [16, 3]],
      ['weight_hh', [16, 4]],
      ['layernorm_i.weight', [16]],
      ['layernorm_i.bias', [16]],
      ['layernorm_h.weight', [16]],
      ['layernorm_h.bias', [16]],
      ['layernorm_c.weight', [4]],
      ['layernorm_c.bias', [4]],
    ]);
    expect(cell.stateSize).toEqual([4, 4]);
    expect(() => new LayerNormLSTMCell({ inputSize: 3, hiddenSize: 4, eps: -1 })).toThrow(/LayerNormLSTMCell.eps/);
    cell.dispose();
  });

  it('does not leak, forward or backward', async () => {
    const cell = new LayerNormLSTMCell({ inputSize: 3, hiddenSize: 4 });
    const x = tf.ones([2, 3]);
    await expectNoLeak(() => cell.forward(x));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(cell.forward(x)[0]!) as tf.Scalar));
    x.dispose();
    cell.dispose();
  });
});
