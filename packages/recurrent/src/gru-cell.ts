/**
 * `GRUCell`: the gated recurrent unit (Cho et al., 2014), as `torch.nn.GRUCell`, gates in
 * PyTorch's order r, z, n:
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr),   z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))          (resetAfter: true, PyTorch, Keras 2)
 *   n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)          (resetAfter: false, the paper, Keras 1)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * Parameters weight_ih [3H, in], weight_hh [3H, H], bias_ih [3H], bias_hh [3H], each U(±1/√H).
 *
 * Porting note: PyTorch has no reset-before variant; it is added here with PyTorch's parameters
 * (Keras's reset_after=False has a single bias; its b_hn is our bias_hh's n block at zero).
 */
import { Rng, tf } from '@lmkit/tensor';
import { RecurrentCell, type CellSizes } from './cell.js';
import { checkFlag } from './config.js';
import { affine, columns, recurrentUniform, type Recurrence } from './recurrence.js';
import type { RNNWeights } from './rnn-cell.js';

/** h' = (1 − z) ⊙ n + z ⊙ h, written as PyTorch's kernel does: (h − n) ⊙ z + n. */
function interpolate(h: tf.Tensor, n: tf.Tensor, z: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(tf.sub(h, n), z), n);
}

/** The GRU step over `w`. Call inside `tf.tidy`. */
export function gruRecurrence(w: RNNWeights, resetAfter: boolean): Recurrence {
  const H = w.weightHh.shape[1]!;
  const [weightIhT, weightHhT] = [tf.transpose(w.weightIh), tf.transpose(w.weightHh)]; // [in, 3H], [H, 3H]
  const projectInput = (x: tf.Tensor) => affine(x, weightIhT, w.biasIh); // (N, 3H)
  if (resetAfter) {
    return {
      stateSize: [H],
      projectInput,
      step: (xProj, [h]) => {
        const hProj = affine(h!, weightHhT, w.biasHh); // (B, 3H)
        const rz = tf.sigmoid(tf.add(columns(xProj, 0, 2 * H), columns(hProj, 0, 2 * H))); // (B, 2H)
        const r = columns(rz, 0, H); // (B, H)
        const n = tf.tanh(tf.add(columns(xProj, 2 * H, H), tf.mul(r, columns(hProj, 2 * H, H)))); // (B, H)
        return [interpolate(h!, n, columns(rz, H, H))];
      },
    };
  }
  const weightHrzT = columns(weightHhT, 0, 2 * H); // [H, 2H]
  const weightHnT = columns(weightHhT, 2 * H, H); // [H, H]
  const biasHrz = w.biasHh === null ? null : tf.slice(w.biasHh, [0], [2 * H]); // [2H]
  const biasHn = w.biasHh === null ? null : tf.slice(w.biasHh, [2 * H], [H]); // [H]
  return {
    stateSize: [H],
    projectInput,
    step: (xProj, [h]) => {
      const rz = tf.sigmoid(tf.add(columns(xProj, 0, 2 * H), affine(h!, weightHrzT, biasHrz))); // (B, 2H)
      const r = columns(rz, 0, H); // (B, H)
      const n = tf.tanh(tf.add(columns(xProj, 2 * H, H), affine(tf.mul(r, h!), weightHnT, biasHn))); // (B, H)
      return [interpolate(h!, n, columns(rz, H, H))];
    },
  };
}

export interface GRUCellConfig extends CellSizes {
  /** Learn bias_ih and bias_hh. Default true. */
  readonly bias?: boolean;
  /** Apply the reset gate after the hidden product (PyTorch, Keras 2). Default true. */
  readonly resetAfter?: boolean;
  /** Draws the initial weights. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export class GRUCell extends RecurrentCell {
  readonly resetAfter: boolean;
  readonly stateSize: readonly number[];
  readonly weightIh: tf.Variable; // [3H, in]
  readonly weightHh: tf.Variable; // [3H, H]
  readonly biasIh: tf.Variable | null; // [3H]
  readonly biasHh: tf.Variable | null; // [3H]

  constructor(config: GRUCellConfig) {
    super('GRUCell', config);
    this.resetAfter = checkFlag('GRUCell.resetAfter', config.resetAfter, true);
    const H = this.hiddenSize;
    const rng = config.rng ?? new Rng(0);
    this.stateSize = [H];
    this.weightIh = this.addParameter('weight_ih', recurrentUniform([3 * H, this.inputSize], H, rng));
    this.weightHh = this.addParameter('weight_hh', recurrentUniform([3 * H, H], H, rng));
    const bias = checkFlag('GRUCell.bias', config.bias, true);
    this.biasIh = bias ? this.addParameter('bias_ih', recurrentUniform([3 * H], H, rng)) : null;
    this.biasHh = bias ? this.addParameter('bias_hh', recurrentUniform([3 * H], H, rng)) : null;
  }

  recurrence(): Recurrence {
    return gruRecurrence(this, this.resetAfter);
  }
}
