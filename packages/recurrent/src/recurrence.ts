/**
 * `Recurrence`: one recurrent step split the way the runner needs it. The input-to-hidden part
 * (`projectInput`) does not depend on the state, so the runner computes it for every time step in
 * one matMul; `step` then adds the hidden-to-hidden part and the gates, one time step at a time.
 * Cells build a `Recurrence` from their weights inside the caller's `tf.tidy`, so per-call work
 * on the weights (a transposed or sliced matrix) happens once per forward, not per step.
 *
 * The helpers below are shared by the cells: PyTorch's default init, affine maps and gate slicing.
 */
import { init, tf, type Rng } from '@lmkit/tensor';

export interface Recurrence {
  /** The size of each state tensor ([B, size] each); the first state is the step's output. */
  readonly stateSize: readonly number[];
  /** x: [N, inputSize] → [N, G]: the input-to-hidden products of N rows (all time steps) at once. */
  projectInput(x: tf.Tensor): tf.Tensor;
  /** xProj: [B, G] (one time step of `projectInput`), state: [B, stateSize[i]] → the next state. */
  step(xProj: tf.Tensor, state: readonly tf.Tensor[]): tf.Tensor[];
}

/** PyTorch's init for every recurrent weight and bias: U(−1/√H, 1/√H) with H the hidden size. */
export function recurrentUniform(shape: readonly number[], hiddenSize: number, rng: Rng): tf.Tensor {
  const bound = 1 / Math.sqrt(hiddenSize);
  return init.uniform(shape, { low: -bound, high: bound, rng });
}

/**
 * x·Wᵀ (+ b) from Wᵀ. x: [N, in], weightT: [in, out] (a PyTorch weight transposed once per
 * forward: tfjs's matMul is several times slower with transposeB on wasm), bias: [out] → [N, out].
 */
export function affine(x: tf.Tensor, weightT: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const y = tf.matMul(x, weightT);
  return bias === null ? y : tf.add(y, bias);
}

/**
 * Columns [start, start + size) of a [B, C] tensor: one gate block. Slices rather than `tf.split`:
 * tfjs's split gradient fails when one block does not reach the loss (an LSTM's output gate at the
 * last step when only c_n is used).
 */
export function columns(x: tf.Tensor, start: number, size: number): tf.Tensor {
  return tf.slice(x, [0, start], [x.shape[0]!, size]);
}

/** The sum of two optional biases (`null` when both are absent). */
export function sumBiases(a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null {
  if (a === null) return b;
  return b === null ? a : tf.add(a, b);
}
