import { describe, expect, it } from 'vitest';
import { ShapeError, tf } from '@lmkit/tensor';
import { disposeAfterEach, expectClose, expectNoLeak, testValues } from '@lmkit/testing';
import type { RecurrentCell } from './cell.js';
import { GRUCell } from './gru-cell.js';
import { LayerNormLSTMCell } from './layer-norm-lstm-cell.js';
import { runCell } from './run.js';

const [B, T, IN, H] = [3, 4, 2, 3];
const LENGTHS = [4, 1, 3];

/** The reference: step each row on its own over its valid steps, in order or reversed. */
function stepByStep(cell: RecurrentCell, x: tf.Tensor, state0: tf.Tensor[], reverse: boolean): { output: tf.Tensor; state: tf.Tensor[] } {
  return tf.tidy(() => {
    const rows = LENGTHS.map((n, b) => {
      let state = state0.map((s) => tf.slice(s, [b, 0], [1, -1]));
      const outputs: tf.Tensor[] = Array.from({ length: T }, () => tf.zeros([1, state[0]!.shape[1]!]));
      const steps = Array.from({ length: n }, (_, t) => t);
      for (const t of reverse ? steps.reverse() : steps) {
        state = cell.forward(tf.slice(x, [b, t, 0], [1, 1, IN]).reshape([1, IN]), state);
        outputs[t] = state[0]!;
      }
      return { output: tf.stack(outputs, 1), state };
    });
    return {
      output: tf.concat(rows.map((r) => r.output)), // (B, T, H)
      state: state0.map((_, i) => tf.concat(rows.map((r) => r.state[i]!))), // (B, S) each
    };
  });
}

describe('runCell', () => {
  disposeAfterEach();

  const cells: Array<[string, () => RecurrentCell]> = [
    ['LayerNormLSTMCell', () => new LayerNormLSTMCell({ inputSize: IN, hiddenSize: H })],
    ['GRUCell (reset before)', () => new GRUCell({ inputSize: IN, hiddenSize: H, resetAfter: false })],
  ];
  for (const [name, make] of cells) {
    for (const reverse of [false, true]) {
      it(`${name}, ${reverse ? 'backward' : 'forward'}, padded batch: equals stepping each row over its valid steps`, async () => {
        const cell = make();
        const x = tf.tensor(testValues(B * T * IN, 1), [B, T, IN]);
        const state0 = cell.stateSize.map((size, i) => tf.tensor(testValues(B * size, 2 + i), [B, size]));
        const got = runCell(cell, x, { initialState: state0, lengths: LENGTHS, goBackwards: reverse });
        const want = stepByStep(cell, x, state0, reverse);
        await expectClose(got.output, want.output, 1e-6, 1e-5);
        for (const [i, s] of got.state.entries()) await expectClose(s, want.state[i]!, 1e-6, 1e-5);
        tf.dispose([x, ...state0, got.output, ...got.state, want.output, ...want.state]);
        cell.dispose();
      });
    }
  }

  it('gives zero outputs and the initial state for a row of length 0', async () => {
    const cell = new GRUCell({ inputSize: IN, hiddenSize: H });
    const x = tf.ones([2, T, IN]);
    const h0 = tf.tensor(testValues(2 * H, 3), [2, H]);
    const { output, state } = runCell(cell, x, { initialState: [h0], lengths: [0, T] });
    await expectClose(tf.slice(output, [0, 0, 0], [1, T, H]), tf.zeros([1, T, H]), 0, 0);
    await expectClose(tf.slice(state[0]!, [0, 0], [1, H]), tf.slice(h0, [0, 0], [1, H]), 0, 0);
    tf.dispose([x, h0, output, ...state]);
    cell.dispose();
  });

  it('rejects bad lengths and states with the expected and actual values', () => {
    const cell = new GRUCell({ inputSize: IN, hiddenSize: H });
    const x = tf.zeros([B, T, IN]);
    const h0 = tf.zeros([B, H + 1]);
    expect(() => runCell(cell, x, { lengths: [1, 2] })).toThrow(ShapeError);
    expect(() => runCell(cell, x, { lengths: [1, 2] })).toThrow(/runCell\(GRUCell\)\(lengths\): expected 3 lengths \(one per batch row\), got 2/);
    expect(() => runCell(cell, x, { lengths: [1, 5, 2] })).toThrow(/runCell\(GRUCell\)\(lengths\)\[1\]: expected an integer in \[0, 4\] \(T = 4 steps\), got 5/);
    expect(() => runCell(cell, x, { initialState: [h0] })).toThrow(/runCell\(GRUCell\)\(initialState\)\[0\]: expected shape \[3, 3\], got shape \[3, 4\]/);
    tf.dispose([x, h0]);
    cell.dispose();
  });

  it('does not leak, forward or backward', async () => {
    const cell = new LayerNormLSTMCell({ inputSize: IN, hiddenSize: H });
    const x = tf.ones([B, T, IN]);
    await expectNoLeak(() => runCell(cell, x, { lengths: LENGTHS, goBackwards: true }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(runCell(cell, x, { lengths: LENGTHS }).output) as tf.Scalar));
    x.dispose();
    cell.dispose();
  });
});
