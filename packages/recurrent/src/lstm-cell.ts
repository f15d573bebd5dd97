/**
 * `LSTMCell`: long short-term memory (Hochreiter & Schmidhuber, 1997, with the forget gate of
 * Gers et al., 2000), as `torch.nn.LSTMCell`, gates in PyTorch's order i, f, g, o:
 *   [i, f, g, o] = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh
 *   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(c')
 * Parameters weight_ih [4H, in], weight_hh [4H, H], bias_ih [4H], bias_hh [4H], each U(±1/√H).
 * The `LSTM` layer also supports a projection (Sak et al., 2014, `proj_size`, see ./lstm-fused.ts).
 *
 * Porting note: the two biases are added once to the input projection instead of at every step;
 * the sum is the same up to float rounding.
 */
import { Rng, tf } from '@lmkit/tensor';
import { RecurrentCell, type CellSizes } from './cell.js';
import { checkFlag } from './config.js';
import { affine, columns, recurrentUniform, sumBiases, type Recurrence } from './recurrence.js';
import type { RNNWeights } from './rnn-cell.js';

/** The LSTM step over `w`: state [h, c], (B, H) each. Call inside `tf.tidy`. */
export function lstmRecurrence(w: RNNWeights): Recurrence {
  const H = w.weightHh.shape[0]! / 4;
  const bias = sumBiases(w.biasIh, w.biasHh); // [4H]
  const [weightIhT, weightHhT] = [tf.transpose(w.weightIh), tf.transpose(w.weightHh)]; // [in, 4H], [H, 4H]
  return {
    stateSize: [H, H],
    projectInput: (x) => affine(x, weightIhT, bias), // (N, 4H)
    step: (xProj, [h, c]) => {
      const gates = tf.add(xProj, tf.matMul(h!, weightHhT)); // (B, 4H)
      const sig = tf.sigmoid(gates); // (B, 4H): used for i, f, o
      const [i, f, o] = [0, 1, 3].map((k) => columns(sig, k * H, H)); // (B, H) each
      const g = tf.tanh(columns(gates, 2 * H, H)); // (B, H)
      const cNext = tf.add(tf.mul(f!, c!), tf.mul(i!, g)); // (B, H)
      return [tf.mul(o!, tf.tanh(cNext)), cNext]; // (B, H) each
    },
  };
}

export interface LSTMCellConfig extends CellSizes {
  /** Learn bias_ih and bias_hh. Default true. */
  readonly bias?: boolean;
  /** Draws the initial weights. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export class LSTMCell extends RecurrentCell {
  readonly stateSize: readonly number[];
  readonly weightIh: tf.Variable; // [4H, in]
  readonly weightHh: tf.Variable; // [4H, H]
  readonly biasIh: tf.Variable | null; // [4H]
  readonly biasHh: tf.Variable | null; // [4H]

  constructor(config: LSTMCellConfig) {
    super('LSTMCell', config);
    const H = this.hiddenSize;
    const rng = config.rng ?? new Rng(0);
    this.stateSize = [H, H];
    this.weightIh = this.addParameter('weight_ih', recurrentUniform([4 * H, this.inputSize], H, rng));
    this.weightHh = this.addParameter('weight_hh', recurrentUniform([4 * H, H], H, rng));
    const bias = checkFlag('LSTMCell.bias', config.bias, true);
    this.biasIh = bias ? this.addParameter('bias_ih', recurrentUniform([4 * H], H, rng)) : null;
    this.biasHh = bias ? this.addParameter('bias_hh', recurrentUniform([4 * H], H, rng)) : null;
  }

  recurrence(): Recurrence {
    return lstmRecurrence(this);
  }
}
