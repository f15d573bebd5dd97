/**
 * `RecurrentLayer`: the multi-layer, optionally bidirectional recurrent layer behind `RNN`, `LSTM`
 * and `GRU`, after `torch.nn.RNNBase` (batch_first = True). Layer l reads layer l−1's output (both
 * directions concatenated), with dropout between layers in training mode. Parameters are named and
 * shaped exactly as PyTorch's: for layer l and direction d (suffix '' or '_reverse'),
 * weight_ih_l{l}{sfx} [G·H, in_l], weight_hh_l{l}{sfx} [G·H, P], bias_ih_l{l}{sfx} [G·H],
 * bias_hh_l{l}{sfx} [G·H] and, for a projected LSTM, weight_hr_l{l}{sfx} [P, H], with G gate
 * blocks, P = projSize or H, in_0 = inputSize, in_l = D·P. All are U(±1/√H), as PyTorch.
 *
 * Porting note: PyTorch takes a PackedSequence; here a padded batch comes with `lengths` and gives
 * the same outputs, final states and gradients (see ./run.ts).
 * Porting note: the dropout masks come from the layer's seeded `Rng`, not torch's generator.
 * Each layer and direction runs as one op with a hand-written backward pass (./fused-scan.ts).
 */
import { Module, Rng, ShapeError, assertLastDim, assertRank, assertShape, checkInt, checkNumber, dropout, tf } from '@lmkit/tensor';
import { zeroState } from './cell.js';
import { checkFlag } from './config.js';
import { fusedScan, type FusedRecurrence } from './fused-scan.js';
import { recurrentUniform } from './recurrence.js';
import { checkLengths, stepMasks } from './run.js';

export interface RecurrentLayerConfig {
  /** Features of each input step. */
  readonly inputSize: number;
  /** Features of the hidden state of each layer and direction. */
  readonly hiddenSize: number;
  /** Stacked layers; layer l > 0 reads layer l−1's output. Default 1. */
  readonly numLayers?: number;
  /** Learn bias_ih and bias_hh. Default true. */
  readonly bias?: boolean;
  /** Also run every layer from the end of the sequence to its start, and concatenate. Default false. */
  readonly bidirectional?: boolean;
  /** Dropout probability in [0, 1) on every layer's output but the last, in training mode. Default 0. */
  readonly dropout?: number;
  /** Draws the initial weights, then the dropout masks. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

/** The weights of one layer and direction. */
export interface DirectionWeights {
  readonly weightIh: tf.Variable; // [G·H, in_l]
  readonly weightHh: tf.Variable; // [G·H, P]
  readonly biasIh: tf.Variable | null; // [G·H]
  readonly biasHh: tf.Variable | null; // [G·H]
  readonly weightHr: tf.Variable | null; // [P, H]
}

/** A layer's state: h [L·D, B, P] (row l·D + d), and an LSTM's c [L·D, B, H]. */
export interface HiddenState {
  readonly h: tf.Tensor;
}

export interface RecurrentForwardOptions<S extends HiddenState> {
  /** The state to start from, shaped as the returned `state`. Default zeros. */
  readonly initialState?: S;
  /** Valid steps of each batch row, each in [0, T]: outputs past a row's length are zero and its final state is taken at its last valid step (PyTorch's packed sequences). Default: every row has T steps. */
  readonly lengths?: ArrayLike<number>;
}

export interface RecurrentOutput<S extends HiddenState> {
  /** [B, T, D·P]: the last layer's output at every step, directions concatenated. */
  readonly output: tf.Tensor;
  /** The final state of every layer and direction. */
  readonly state: S;
}

/** How a subclass shapes the shared layer: its gate count, projection and state names. */
export interface LayerShape<S extends HiddenState> {
  /** Gate blocks in weight_ih / weight_hh: RNN 1, GRU 3, LSTM 4. */
  readonly gates: number;
  /** Projected size P of h (LSTM proj_size), or 0 for none. */
  readonly projSize: number;
  /** The state's keys in order, h first. */
  readonly stateKeys: readonly (keyof S & string)[];
}

export abstract class RecurrentLayer<S extends HiddenState> extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly bidirectional: boolean;
  readonly dropout: number;
  /** Directions D: 2 when bidirectional, else 1. */
  readonly numDirections: number;
  /** The size P of h and of each direction's output: projSize for a projected LSTM, else hiddenSize. */
  readonly outputSize: number;
  /** Each state's size per row of the batch, in `stateKeys` order. */
  readonly stateSize: readonly number[];
  private readonly stateKeys: readonly string[];
  private readonly directionWeights: DirectionWeights[]; // index l·D + d
  private readonly dropoutRng: Rng;

  protected constructor(
    private readonly layerName: string,
    config: RecurrentLayerConfig,
    shape: LayerShape<S>,
  ) {
    super();
    this.inputSize = checkInt(`${layerName}.inputSize`, config.inputSize, 1);
    this.hiddenSize = checkInt(`${layerName}.hiddenSize`, config.hiddenSize, 1);
    this.numLayers = checkInt(`${layerName}.numLayers`, config.numLayers ?? 1, 1);
    this.bias = checkFlag(`${layerName}.bias`, config.bias, true);
    this.bidirectional = checkFlag(`${layerName}.bidirectional`, config.bidirectional, false);
    this.dropout = checkNumber(`${layerName}.dropout`, config.dropout ?? 0, 0, 1, true);
    this.numDirections = this.bidirectional ? 2 : 1;
    const H = this.hiddenSize;
    const P = shape.projSize > 0 ? shape.projSize : H;
    const GH = shape.gates * H;
    this.outputSize = P;
    this.stateKeys = shape.stateKeys;
    this.stateSize = shape.stateKeys.map((_, i) => (i === 0 ? P : H));
    const rng = config.rng ?? new Rng(0);
    this.directionWeights = [];
    for (let l = 0; l < this.numLayers; l++) {
      const inSize = l === 0 ? this.inputSize : this.numDirections * P;
      for (let d = 0; d < this.numDirections; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const param = (name: string, dims: number[]) => this.addParameter(name + sfx, recurrentUniform(dims, H, rng));
        const weightIh = param('weight_ih', [GH, inSize]);
        const weightHh = param('weight_hh', [GH, P]);
        const biasIh = this.bias ? param('bias_ih', [GH]) : null;
        const biasHh = this.bias ? param('bias_hh', [GH]) : null;
        const weightHr = shape.projSize > 0 ? param('weight_hr', [P, H]) : null;
        this.directionWeights.push({ weightIh, weightHh, biasIh, biasHh, weightHr });
      }
    }
    this.dropoutRng = rng.fork();
  }

  /** The fused recurrence of one layer and direction over its weights; called inside `tf.tidy`. */
  protected abstract recurrence(weights: DirectionWeights): FusedRecurrence;

  /**
   * x: [B, T, inputSize] → { output [B, T, D·P], state } with state tensors [L·D, B, ·] (row
   * l·D + d: layer l, direction d). With `lengths`, PyTorch's packed-sequence semantics.
   *
   * @example const { output, state: { h, c } } = lstm.forward(x, { lengths: [7, 4] });
   */
  forward(x: tf.Tensor, options: RecurrentForwardOptions<S> = {}): RecurrentOutput<S> {
    this.assertLive();
    const name = `${this.layerName}.forward`;
    assertRank(`${name}(x)`, x, [3]);
    assertLastDim(`${name}(x)`, x, this.inputSize);
    const [B, T] = x.shape as [number, number, number];
    if (B === 0 || T === 0) throw new ShapeError(`${name}(x)`, 'at least one batch row and one step', `shape [${x.shape.join(', ')}]`);
    const lengths = options.lengths === undefined ? null : checkLengths(`${name}(lengths)`, options.lengths, B, T);
    const initial = options.initialState === undefined ? null : this.checkInitialState(`${name}(initialState)`, options.initialState, B);
    const L = this.numLayers;
    const D = this.numDirections;
    const result = tf.tidy(() => {
      const masks = lengths === null ? null : stepMasks(lengths, T);
      let input = tf.transpose(x, [1, 0, 2]).reshape([T * B, this.inputSize]); // (T·B, in)
      const finals: tf.Tensor[][] = this.stateKeys.map(() => []); // per state: L·D × (B, S)
      for (let l = 0; l < L; l++) {
        const outputs: tf.Tensor[] = [];
        for (let d = 0; d < D; d++) {
          const row = l * D + d;
          const state0 = initial === null ? zeroState(B, this.stateSize) : initial.map((s) => tf.slice(s, [row, 0, 0], [1, B, -1]).reshape([B, -1]));
          const run = fusedScan(this.recurrence(this.directionWeights[row]!), input, T, state0, masks, d === 1);
          outputs.push(run.output.reshape([T * B, this.outputSize])); // (T·B, P)
          run.state.forEach((s, i) => finals[i]!.push(s));
        }
        input = D === 1 ? outputs[0]! : tf.concat(outputs, 1); // (T·B, D·P)
        if (l < L - 1 && this.training && this.dropout > 0) input = dropout(input, this.dropout, this.dropoutRng);
      }
      const output = tf.transpose(input.reshape([T, B, D * this.outputSize]), [1, 0, 2]); // (B, T, D·P)
      const state: Record<string, tf.Tensor> = Object.fromEntries(this.stateKeys.map((key, i) => [key, tf.stack(finals[i]!)])); // (L·D, B, S) each
      return { output, state };
    });
    return { output: result.output, state: result.state as unknown as S };
  }

  /** Checks every state tensor is [L·D, B, size]; returns them in `stateKeys` order. */
  private checkInitialState(argument: string, state: S, B: number): tf.Tensor[] {
    const rows = this.numLayers * this.numDirections;
    return this.stateKeys.map((key, i) => {
      const s = (state as unknown as Record<string, tf.Tensor | undefined>)[key];
      if (!(s instanceof tf.Tensor)) throw new ShapeError(`${argument}.${key}`, `a tensor of shape [${rows}, ${B}, ${this.stateSize[i]}]`, String(s));
      assertShape(`${argument}.${key}`, s, [rows, B, this.stateSize[i]!]);
      return s;
    });
  }
}
