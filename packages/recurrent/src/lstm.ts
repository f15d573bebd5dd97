/**
 * `LSTM`: a multi-layer LSTM, as `torch.nn.LSTM(batch_first=True)`, gates i, f, g, o, with
 * PyTorch's optional projection `projSize` (Sak et al., 2014): h = (σ(o) ⊙ tanh(c))·W_hrᵀ, so h is
 * [·, P] while c stays [·, H]. The shared layer machinery is in ./recurrent-layer.ts.
 */
import { checkInt, type tf } from '@lmkit/tensor';
import { fusedLstm } from './lstm-fused.js';
import { RecurrentLayer, type DirectionWeights, type HiddenState, type RecurrentLayerConfig } from './recurrent-layer.js';
import type { FusedRecurrence } from './fused-scan.js';

export interface LSTMConfig extends RecurrentLayerConfig {
  /** Size P of the projected h, in [0, hiddenSize − 1]; 0 means no projection. Default 0. */
  readonly projSize?: number;
}

/** An LSTM's state: h [L·D, B, P] and c [L·D, B, H]. */
export interface LSTMState extends HiddenState {
  readonly c: tf.Tensor;
}

export class LSTM extends RecurrentLayer<LSTMState> {
  readonly projSize: number;

  constructor(config: LSTMConfig) {
    const hiddenSize = checkInt('LSTM.hiddenSize', config.hiddenSize, 1);
    const projSize = checkInt('LSTM.projSize', config.projSize ?? 0, 0, hiddenSize - 1);
    super('LSTM', config, { gates: 4, projSize, stateKeys: ['h', 'c'] });
    this.projSize = projSize;
  }

  protected recurrence(weights: DirectionWeights): FusedRecurrence {
    return fusedLstm(weights);
  }
}
