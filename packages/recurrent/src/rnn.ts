/**
 * `RNN`: a multi-layer Elman RNN, as `torch.nn.RNN(batch_first=True)`:
 * h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) with act = tanh or relu. The shared layer
 * machinery (stacking, directions, lengths, dropout, PyTorch names) is in ./recurrent-layer.ts.
 */
import { checkNonlinearity, type Nonlinearity } from './config.js';
import { RecurrentLayer, type DirectionWeights, type HiddenState, type RecurrentLayerConfig } from './recurrent-layer.js';
import type { FusedRecurrence } from './fused-scan.js';
import { fusedRnn } from './rnn-fused.js';

export interface RNNConfig extends RecurrentLayerConfig {
  /** Default 'tanh'. */
  readonly nonlinearity?: Nonlinearity;
}

export class RNN extends RecurrentLayer<HiddenState> {
  readonly nonlinearity: Nonlinearity;

  constructor(config: RNNConfig) {
    super('RNN', config, { gates: 1, projSize: 0, stateKeys: ['h'] });
    this.nonlinearity = checkNonlinearity('RNN.nonlinearity', config.nonlinearity ?? 'tanh');
  }

  protected recurrence(weights: DirectionWeights): FusedRecurrence {
    return fusedRnn(weights, this.nonlinearity);
  }
}
