/**
 * `LayerNormLSTMCell`: the layer-normalized LSTM of Ba, Kiros & Hinton, "Layer Normalization"
 * (2016), eqs. 20–22, gates in PyTorch's order i, f, g, o:
 *   [i, f, g, o] = LN_i(x·W_ihᵀ) + LN_h(h·W_hhᵀ)
 *   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(LN_c(c'))
 * Parameters weight_ih [4H, in], weight_hh [4H, H] (U(±1/√H)) and `torch.nn.LayerNorm`s
 * layernorm_i [4H], layernorm_h [4H], layernorm_c [H] (weight 1, bias 0), named as the
 * LayerNormLSTMCell of PyTorch's benchmarks/fastrnns/custom_lstms.py.
 *
 * Porting note: the paper's separate gate bias b is left out: the LN biases already add one.
 * Porting note: custom_lstms.py carries LN(c') as the cell state; the paper (and this cell) carries
 * c' and normalizes only what enters h'.
 */
import { LayerNorm, Rng, checkNumber, tf } from '@lmkit/tensor';
import { RecurrentCell, type CellSizes } from './cell.js';
import { columns, recurrentUniform, type Recurrence } from './recurrence.js';

export interface LayerNormLSTMCellConfig extends CellSizes {
  /** Added to the variance in every LayerNorm. Default 1e-5. */
  readonly eps?: number;
  /** Draws the initial weights. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export class LayerNormLSTMCell extends RecurrentCell {
  readonly stateSize: readonly number[];
  readonly weightIh: tf.Variable; // [4H, in]
  readonly weightHh: tf.Variable; // [4H, H]
  readonly layernormI: LayerNorm; // over 4H
  readonly layernormH: LayerNorm; // over 4H
  readonly layernormC: LayerNorm; // over H

  constructor(config: LayerNormLSTMCellConfig) {
    super('LayerNormLSTMCell', config);
    const H = this.hiddenSize;
    const eps = checkNumber('LayerNormLSTMCell.eps', config.eps ?? 1e-5, 0, Infinity);
    const rng = config.rng ?? new Rng(0);
    this.stateSize = [H, H];
    this.weightIh = this.addParameter('weight_ih', recurrentUniform([4 * H, this.inputSize], H, rng));
    this.weightHh = this.addParameter('weight_hh', recurrentUniform([4 * H, H], H, rng));
    this.layernormI = this.addModule('layernorm_i', new LayerNorm({ normalizedShape: 4 * H, eps }));
    this.layernormH = this.addModule('layernorm_h', new LayerNorm({ normalizedShape: 4 * H, eps }));
    this.layernormC = this.addModule('layernorm_c', new LayerNorm({ normalizedShape: H, eps }));
  }

  recurrence(): Recurrence {
    const H = this.hiddenSize;
    const [weightIhT, weightHhT] = [tf.transpose(this.weightIh), tf.transpose(this.weightHh)]; // [in, 4H], [H, 4H]
    return {
      stateSize: this.stateSize,
      projectInput: (x) => this.layernormI.forward(tf.matMul(x, weightIhT)), // (N, 4H)
      step: (xProj, [h, c]) => {
        const gates = tf.add(xProj, this.layernormH.forward(tf.matMul(h!, weightHhT))); // (B, 4H)
        const sig = tf.sigmoid(gates); // (B, 4H): used for i, f, o
        const [i, f, o] = [0, 1, 3].map((k) => columns(sig, k * H, H)); // (B, H) each
        const g = tf.tanh(columns(gates, 2 * H, H)); // (B, H)
        const cNext = tf.add(tf.mul(f!, c!), tf.mul(i!, g)); // (B, H)
        const hNext = tf.mul(o!, tf.tanh(this.layernormC.forward(cNext))); // (B, H)
        return [hNext, cNext];
      },
    };
  }
}
