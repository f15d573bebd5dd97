/**
 * `RecurrentCell`: the base of the one-step cells (`RNNCell`, `LSTMCell`, `GRUCell`,
 * `LayerNormLSTMCell`), after `torch.nn.RNNCellBase` and tfjs-layers' cells. A cell maps one
 * input step and the state to the next state; `runCell` (./run.ts) runs it over a sequence.
 *
 * Porting note: DESIGN.md writes a cell as `[x, ...state] → [y, ...state]`; here `forward` returns
 * the next state only, because every cell's output y is its first state h (as PyTorch's cells
 * return h or (h, c)), so it would be the same tensor twice.
 */
import { Module, ShapeError, assertLastDim, assertRank, assertShape, checkInt, tf } from '@lmkit/tensor';
import type { Recurrence } from './recurrence.js';

/** The fields every cell config shares. */
export interface CellSizes {
  /** Features of each input step. */
  readonly inputSize: number;
  /** Features of the hidden state h (and the cell state c of LSTMs). */
  readonly hiddenSize: number;
}

export abstract class RecurrentCell extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** The size of each state tensor, [B, size] each; the first state is the output h. */
  abstract readonly stateSize: readonly number[];

  protected constructor(name: string, config: CellSizes) {
    super();
    this.inputSize = checkInt(`${name}.inputSize`, config.inputSize, 1);
    this.hiddenSize = checkInt(`${name}.hiddenSize`, config.hiddenSize, 1);
  }

  /** This cell's step, built from its weights; call inside `tf.tidy` (the runner does). */
  abstract recurrence(): Recurrence;

  /**
   * One step. x: [B, inputSize], state: one [B, stateSize[i]] tensor per state (zeros when
   * omitted) → the next state; its first entry is the output h.
   *
   * @example const [h, c] = lstmCell.forward(x, [h0, c0]);
   */
  forward(x: tf.Tensor, state?: readonly tf.Tensor[]): tf.Tensor[] {
    this.assertLive();
    const name = `${this.constructor.name}.forward`;
    assertRank(`${name}(x)`, x, [2]);
    assertLastDim(`${name}(x)`, x, this.inputSize);
    const B = x.shape[0]!;
    if (state !== undefined) checkState(`${name}(state)`, state, this.stateSize.map((size) => [B, size]));
    return tf.tidy(() => {
      const step = this.recurrence();
      return step.step(step.projectInput(x), state ?? zeroState(B, this.stateSize));
    });
  }
}

/** One [B, size] zero tensor per state size. */
export function zeroState(batchSize: number, stateSize: readonly number[]): tf.Tensor[] {
  return stateSize.map((size) => tf.zeros([batchSize, size]));
}

/** Asserts `state` holds one tensor per expected shape, each of that shape. */
export function checkState(argument: string, state: readonly tf.Tensor[], shapes: readonly (readonly number[])[]): void {
  if (state.length !== shapes.length) {
    throw new ShapeError(argument, `${shapes.length} state tensor(s)`, `${state.length}`);
  }
  shapes.forEach((shape, i) => assertShape(`${argument}[${i}]`, state[i]!, shape));
}
