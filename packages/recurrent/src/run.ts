/**
 * The RNN runner: the time loop of `runCell`, which runs any cell over a sequence (the layers run
 * the same loop as one op with a hand-written backward pass, ./fused-scan.ts, with these masks).
 * It computes the input-to-hidden products of all steps with one matMul, then steps through time
 * forwards or backwards, masking padded batches the way PyTorch's packed sequences do (`torch.nn.utils.rnn.pack_padded_sequence`):
 * a row of length n is run over its steps 0..n−1 only (a backward run starts at step n−1), its
 * outputs past n are zero and its final state is the state after its last valid step.
 *
 * Porting note: instead of packing, the whole batch takes each step up to the longest row, and on
 * steps where some rows are padded a 0/1 mask keeps their old state: m·new + (1−m)·old, exact for
 * m ∈ {0, 1}. A backward run thus holds a row's initial state until it reaches the row's last valid
 * step. Steps where every row is valid take no mask; steps past the longest row are skipped.
 * Porting note: a length of 0 is allowed (pack_padded_sequence rejects it): the row's outputs are
 * zero and its final state is its initial state.
 */
import { ShapeError, assertLastDim, assertRank, tf } from '@lmkit/tensor';
import { checkState, zeroState, type RecurrentCell } from './cell.js';
import type { Recurrence } from './recurrence.js';

/**
 * What step t does with the rows of a padded batch: every row is valid ('all', no mask), no row is
 * ('none', the step is skipped), or some are (0/1 masks [B, 1]: `valid` where t < length, `padded`
 * = 1 − valid). 'none' steps only come after the longest row.
 */
export type StepMask = 'all' | 'none' | { readonly valid: tf.Tensor; readonly padded: tf.Tensor };

/**
 * Checks `lengths` against a batch of B rows and T steps: one integer in [0, T] per row. Returns
 * them as a plain array.
 */
export function checkLengths(argument: string, lengths: ArrayLike<number>, B: number, T: number): number[] {
  if (lengths.length !== B) throw new ShapeError(argument, `${B} lengths (one per batch row)`, `${lengths.length}`);
  return Array.from(lengths, (n, b) => {
    if (!Number.isInteger(n) || n < 0 || n > T) {
      throw new ShapeError(`${argument}[${b}]`, `an integer in [0, ${T}] (T = ${T} steps)`, `${n}`);
    }
    return n;
  });
}

/** The mask of every step t = 0..T−1 for rows of the given lengths. */
export function stepMasks(lengths: readonly number[], T: number): StepMask[] {
  const B = lengths.length;
  return Array.from({ length: T }, (_, t) => {
    const valid = lengths.map((n) => (t < n ? 1 : 0));
    const count = valid.reduce<number>((a, v) => a + v, 0);
    if (count === B) return 'all';
    if (count === 0) return 'none';
    const validRows = tf.tensor2d(valid, [B, 1]);
    return { valid: validRows, padded: tf.sub(1, validRows) };
  });
}

/**
 * Runs `rec` over a time-major sequence. x: [T·B, in] (row t·B + b is step t of sequence b),
 * state: [B, stateSize[i]] each, masks: one per step (null: every row has T steps) → output
 * [T, B, stateSize[0]] and the final state. Call inside `tf.tidy`.
 */
export function scan(
  rec: Recurrence,
  x: tf.Tensor,
  T: number,
  state: readonly tf.Tensor[],
  masks: readonly StepMask[] | null,
  reverse: boolean,
): { output: tf.Tensor; state: tf.Tensor[] } {
  const B = x.shape[0]! / T;
  const active = masks === null ? T : masks.filter((m) => m !== 'none').length; // steps 0..active−1 run
  const outputs: tf.Tensor[] = new Array<tf.Tensor>(T);
  for (let t = active; t < T; t++) outputs[t] = tf.zeros([B, rec.stateSize[0]!]);
  let current = [...state];
  if (active > 0) {
    const xActive = active === T ? x : tf.slice(x, [0, 0], [active * B, -1]); // (active·B, in)
    const xProj = rec.projectInput(xActive).reshape([active, B, -1]); // (active, B, G): one matMul for every step
    // Unstacked once (its gradient is one stack) rather than sliced per step (one dense pad each).
    const steps = tf.unstack(xProj); // active × (B, G)
    for (let k = 0; k < active; k++) {
      const t = reverse ? active - 1 - k : k;
      const next = rec.step(steps[t]!, current);
      const mask = masks === null ? 'all' : masks[t]!;
      if (mask === 'all') {
        outputs[t] = next[0]!;
        current = next;
      } else if (mask !== 'none') {
        outputs[t] = tf.mul(next[0]!, mask.valid); // (B, S0)
        current = next.map((s, i) => tf.add(tf.mul(s, mask.valid), tf.mul(current[i]!, mask.padded)));
      }
    }
  }
  return { output: tf.stack(outputs), state: current }; // (T, B, S0)
}

export interface RunCellOptions {
  /** One [B, stateSize[i]] tensor per state. Default zeros. */
  readonly initialState?: readonly tf.Tensor[];
  /** Valid steps of each batch row, each in [0, T]: outputs past a row's length are zero and its final state is taken at its last valid step. Default: every row has T steps. */
  readonly lengths?: ArrayLike<number>;
  /** Run from each row's last valid step back to step 0 (outputs stay in time order). Default false. */
  readonly goBackwards?: boolean;
}

export interface RunCellResult {
  /** [B, T, stateSize[0]]: the output h at every step (zero past a row's length). */
  readonly output: tf.Tensor;
  /** The final state, one [B, stateSize[i]] tensor per state. */
  readonly state: tf.Tensor[];
}

/**
 * Runs a one-step cell over a batch of sequences. x: [B, T, inputSize] → { output [B, T, H],
 * state }. The input-to-hidden products of all steps are one matMul.
 *
 * @example const { output, state: [h, c] } = runCell(new LayerNormLSTMCell({ inputSize: 8, hiddenSize: 16 }), x, { lengths: [5, 3] });
 */
export function runCell(cell: RecurrentCell, x: tf.Tensor, options: RunCellOptions = {}): RunCellResult {
  const argument = `runCell(${cell.constructor.name})`;
  assertRank(`${argument}(x)`, x, [3]);
  assertLastDim(`${argument}(x)`, x, cell.inputSize);
  const [B, T] = x.shape as [number, number, number];
  if (B === 0 || T === 0) throw new ShapeError(`${argument}(x)`, 'at least one batch row and one step', `shape [${x.shape.join(', ')}]`);
  const lengths = options.lengths === undefined ? null : checkLengths(`${argument}(lengths)`, options.lengths, B, T);
  const { initialState } = options;
  if (initialState !== undefined) checkState(`${argument}(initialState)`, initialState, cell.stateSize.map((size) => [B, size]));
  return tf.tidy(() => {
    const timeMajor = tf.transpose(x, [1, 0, 2]).reshape([T * B, cell.inputSize]); // (T·B, in)
    const masks = lengths === null ? null : stepMasks(lengths, T);
    const state0 = initialState ?? zeroState(B, cell.stateSize);
    const { output, state } = scan(cell.recurrence(), timeMajor, T, state0, masks, options.goBackwards === true);
    return { output: tf.transpose(output, [1, 0, 2]), state }; // (B, T, H)
  });
}
