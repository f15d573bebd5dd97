/**
 * @lmkit/recurrent — Elman RNN, LSTM and GRU cells and layers that compute exactly as PyTorch's
 * (names, layouts, gate order, packed-sequence semantics), stacked and bidirectional, with a
 * layer-normalized LSTM cell, the runner that owns the time loop, and `gradientFlow` to see how
 * far back gradients reach.
 */
export { RecurrentCell } from './cell.js';
export type { CellSizes } from './cell.js';
export type { Nonlinearity } from './config.js';
export type { Recurrence } from './recurrence.js';
export { RNNCell } from './rnn-cell.js';
export type { RNNCellConfig } from './rnn-cell.js';
export { LSTMCell } from './lstm-cell.js';
export type { LSTMCellConfig } from './lstm-cell.js';
export { GRUCell } from './gru-cell.js';
export type { GRUCellConfig } from './gru-cell.js';
export { LayerNormLSTMCell } from './layer-norm-lstm-cell.js';
export type { LayerNormLSTMCellConfig } from './layer-norm-lstm-cell.js';
export { runCell } from './run.js';
export type { RunCellOptions, RunCellResult } from './run.js';
export { RecurrentLayer } from './recurrent-layer.js';
export type { RecurrentLayerConfig, RecurrentForwardOptions, RecurrentOutput, HiddenState, DirectionWeights } from './recurrent-layer.js';
export { RNN } from './rnn.js';
export type { RNNConfig } from './rnn.js';
export { LSTM } from './lstm.js';
export type { LSTMConfig, LSTMState } from './lstm.js';
export { GRU } from './gru.js';
export type { GRUConfig } from './gru.js';
export { gradientFlow } from './gradient-flow.js';
