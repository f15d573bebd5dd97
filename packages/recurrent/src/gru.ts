/**
 * `GRU`: a multi-layer gated recurrent unit, as `torch.nn.GRU(batch_first=True)`, gates r, z, n;
 * `resetAfter: false` gives the reset-before variant of Cho et al. (2014) and Keras 1 (see
 * ./gru-cell.ts). The shared layer machinery is in ./recurrent-layer.ts.
 */
import { checkFlag } from './config.js';
import { fusedGru } from './gru-fused.js';
import { RecurrentLayer, type DirectionWeights, type HiddenState, type RecurrentLayerConfig } from './recurrent-layer.js';
import type { FusedRecurrence } from './fused-scan.js';

export interface GRUConfig extends RecurrentLayerConfig {
  /** Apply the reset gate after the hidden product (PyTorch, Keras 2). Default true. */
  readonly resetAfter?: boolean;
}

export class GRU extends RecurrentLayer<HiddenState> {
  readonly resetAfter: boolean;

  constructor(config: GRUConfig) {
    super('GRU', config, { gates: 3, projSize: 0, stateKeys: ['h'] });
    this.resetAfter = checkFlag('GRU.resetAfter', config.resetAfter, true);
  }

  protected recurrence(weights: DirectionWeights): FusedRecurrence {
    return fusedGru(weights, this.resetAfter);
  }
}
