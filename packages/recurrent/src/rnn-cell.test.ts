import { describe, expect, it } from 'vitest';
import { ShapeError, tf } from '@lmkit/tensor';
import { expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import { RNNCell } from './rnn-cell.js';
import { cellCases, checkCellCase } from './testing/fixtures.js';

forceDeviceKernels();

describe('RNNCell against torch.nn.RNNCell', () => {
  for (const c of cellCases('rnn')) {
    it(`${c.name}: one step and gradients`, async () => {
      const cell = new RNNCell({ inputSize: 3, hiddenSize: 4, bias: c.bias, nonlinearity: c.nonlinearity });
      await checkCellCase(cell, c);
      cell.dispose();
    });
  }
});

describe('RNNCell', () => {
  it("has PyTorch's names and a one-tensor state", () => {
    const cell = new RNNCell({ inputSize: 3, hiddenSize: 4 });
    expect(cell.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih', [4, 3]],
      ['weight_hh', [4, 4]],
      ['bias_ih', [4]],
      ['bias_hh', [4]],
    ]);
    expect(cell.stateSize).toEqual([4]);
    cell.dispose();
  });

  it('rejects a wrong input or state with the expected and actual shapes', () => {
    const cell = new RNNCell({ inputSize: 3, hiddenSize: 4 });
    const x = tf.zeros([2, 3]);
    const h = tf.zeros([2, 5]);
    const x3 = tf.zeros([2, 1, 3]);
    expect(() => cell.forward(x3)).toThrow(ShapeError);
    expect(() => cell.forward(x3)).toThrow(/RNNCell.forward\(x\): expected rank 2, got rank 3 \(shape \[2, 1, 3\]\)/);
    expect(() => cell.forward(h)).toThrow(/RNNCell.forward\(x\): expected last dimension 3, got shape \[2, 5\]/);
    expect(() => cell.forward(x, [h])).toThrow(/RNNCell.forward\(state\)\[0\]: expected shape \[2, 4\], got shape \[2, 5\]/);
    expect(() => cell.forward(x, [])).toThrow(/RNNCell.forward\(state\): expected 1 state tensor\(s\), got 0/);
    tf.dispose([x, h, x3]);
    cell.dispose();
  });

  it('does not leak, forward or backward', async () => {
    const cell = new RNNCell({ inputSize: 3, hiddenSize: 4 });
    const x = tf.ones([2, 3]);
    await expectNoLeak(() => cell.forward(x));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(cell.forward(x)[0]!) as tf.Scalar));
    x.dispose();
    cell.dispose();
  });
});
