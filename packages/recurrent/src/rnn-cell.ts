/**
 * `RNNCell`: the Elman recurrence (Elman, 1990), as `torch.nn.RNNCell`:
 * h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act = tanh or relu.
 * Parameters weight_ih [H, in], weight_hh [H, H], bias_ih [H], bias_hh [H], each U(±1/√H).
 *
 * Porting note: the two biases are added once to the input projection instead of at every step;
 * the sum is the same up to float rounding.
 */
import { Rng, tf } from '@lmkit/tensor';
import { RecurrentCell, type CellSizes } from './cell.js';
import { checkFlag, checkNonlinearity, type Nonlinearity } from './config.js';
import { affine, recurrentUniform, sumBiases, type Recurrence } from './recurrence.js';

/** The weights of one Elman recurrence (a cell's, or one layer and direction of `RNN`'s). */
export interface RNNWeights {
  readonly weightIh: tf.Tensor; // [H, in]
  readonly weightHh: tf.Tensor; // [H, H]
  readonly biasIh: tf.Tensor | null; // [H]
  readonly biasHh: tf.Tensor | null; // [H]
}

/** The Elman step over `w`. Call inside `tf.tidy`. */
export function rnnRecurrence(w: RNNWeights, nonlinearity: Nonlinearity): Recurrence {
  const H = w.weightHh.shape[1]!;
  const bias = sumBiases(w.biasIh, w.biasHh); // [H]
  const [weightIhT, weightHhT] = [tf.transpose(w.weightIh), tf.transpose(w.weightHh)]; // [in, H], [H, H]
  const act = nonlinearity === 'tanh' ? tf.tanh : tf.relu;
  return {
    stateSize: [H],
    projectInput: (x) => affine(x, weightIhT, bias), // (N, H)
    step: (xProj, [h]) => [act(tf.add(xProj, tf.matMul(h!, weightHhT)))], // (B, H)
  };
}

export interface RNNCellConfig extends CellSizes {
  /** Learn bias_ih and bias_hh. Default true. */
  readonly bias?: boolean;
  /** Default 'tanh'. */
  readonly nonlinearity?: Nonlinearity;
  /** Draws the initial weights. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export class RNNCell extends RecurrentCell {
  readonly nonlinearity: Nonlinearity;
  readonly stateSize: readonly number[];
  readonly weightIh: tf.Variable; // [H, in]
  readonly weightHh: tf.Variable; // [H, H]
  readonly biasIh: tf.Variable | null; // [H]
  readonly biasHh: tf.Variable | null; // [H]

  constructor(config: RNNCellConfig) {
    super('RNNCell', config);
    this.nonlinearity = checkNonlinearity('RNNCell.nonlinearity', config.nonlinearity ?? 'tanh');
    const H = this.hiddenSize;
    const rng = config.rng ?? new Rng(0);
    this.stateSize = [H];
    this.weightIh = this.addParameter('weight_ih', recurrentUniform([H, this.inputSize], H, rng));
    this.weightHh = this.addParameter('weight_hh', recurrentUniform([H, H], H, rng));
    const bias = checkFlag('RNNCell.bias', config.bias, true);
    this.biasIh = bias ? this.addParameter('bias_ih', recurrentUniform([H], H, rng)) : null;
    this.biasHh = bias ? this.addParameter('bias_hh', recurrentUniform([H], H, rng)) : null;
  }

  recurrence(): Recurrence {
    return rnnRecurrence(this, this.nonlinearity);
  }
}
