/**
 * The fused recurrence: the runner of ./run.ts with the time loop as one differentiable op with a
 * hand-written backward pass (`tf.customGrad`), used by the `RNN`, `LSTM` and `GRU` layers. The
 * input projection of every step is one matMul over [T·B, in], outside the op (autodiff gives
 * dW_ih = dXProjᵀ·X and dx = dXProj·W_ih as single matMuls, dx only when it is needed). The op
 * then does one hidden-to-hidden product per step against a weight transposed once, with the same
 * masking of padded batches, and saves each step's gate activations and the state entering it.
 * Its backward pass walks the steps in reverse, computing each step's gate gradients from the
 * saved activations and the hidden-state gradient with one product against the untransposed
 * W_hh; the hidden weights' gradients are then single matMuls over the gate gradients of all
 * steps (dW_hh = dGatesᵀ·H_prev). Autodiff through the step loop instead records dozens of small
 * ops per step and multiplies the weight gradients step by step.
 *
 * Porting note: `tf.customGrad` returns one tensor, so the output and the final states travel
 * packed in one flat tensor, split again outside (the seam's SplitV gradient fills unused parts
 * with zeros).
 * Porting note: the backward pass is written out rather than obtained with `tf.grads` on a step:
 * calling `tf.grads` inside a custom gradient clears the engine's active tape and breaks an outer
 * `tf.variableGrads`.
 */
import { tf } from '@lmkit/tensor';
import type { StepMask } from './run.js';

/** What the backward pass of one step returns (see `FusedRecurrence.backward`). */
export interface StepGradients {
  /** [B, G]: the gradient of the step's slice of the input projection. */
  readonly dXProj: tf.Tensor;
  /** The gradient of each state entering the step, [B, stateSize[i]] each. */
  readonly dPrev: tf.Tensor[];
  /** Per-step tensors `weightGradients` needs, [B, ·] each; stacked over the steps for it. */
  readonly keep: tf.Tensor[];
}

/** The backward pass of one layer and direction, built from the saved tensors of every step. */
export interface FusedBackward {
  /** Step t: dNext, the gradient of each state the step returned → its `StepGradients`. */
  step(t: number, dNext: readonly tf.Tensor[]): StepGradients;
  /**
   * The gradient of every `weights` entry, in order, from all steps at once. dXProj: [N, G], kept:
   * the `keep` tensors stacked [N, ·] (N = active·B rows, step-major).
   */
  weightGradients(dXProj: tf.Tensor, kept: readonly tf.Tensor[]): tf.Tensor[];
}

/** One recurrence (one layer and direction) in the form the fused op runs. */
export interface FusedRecurrence {
  /** The size of each state tensor, [B, size] each; the first state is the step's output. */
  readonly stateSize: readonly number[];
  /** [G]: the bias added to the input projection inside the op (its gradient a product, not a Sum), or null. */
  readonly inputBias: tf.Tensor | null;
  /** The other tensors the op differentiates besides the input projection and the initial state: the hidden-side parameters. */
  readonly weights: readonly tf.Tensor[];
  /** x: [N, in] → [N, G]: x·W_ihᵀ for every step at once (autodiff, outside the op; no bias). */
  projectInput(x: tf.Tensor): tf.Tensor;
  /** xProj [steps·B, G] (with `inputBias` added) → each step's inputs to `step`, split once for all steps. */
  stepInputs(xProj: tf.Tensor, steps: number): tf.Tensor[][];
  /** One step: its `stepInputs`, state → the next state and the tensors its backward pass needs. */
  step(inputs: readonly tf.Tensor[], state: readonly tf.Tensor[]): { next: tf.Tensor[]; saved: tf.Tensor[] };
  /**
   * The backward pass over `active` steps: saved[j] is the j-th tensor `step` saved and prev[i]
   * the i-th state entering the step, each stacked over the steps in time order ([active·B, ·]);
   * weights are `weights` as saved for the backward pass (use these, not tensors of the forward's
   * scope, which may be disposed by then).
   */
  backward(saved: readonly tf.Tensor[], prev: readonly tf.Tensor[], active: number, weights: readonly tf.Tensor[]): FusedBackward;
}

/**
 * [N, C] → [C]: the sum over rows, as a product with a row of ones (the wasm backend's Sum over
 * the first axis transposes first, ~40× slower here).
 */
export function sumRows(x: tf.Tensor): tf.Tensor {
  return tf.matMul(tf.ones([1, x.shape[0]!]), x).reshape([-1]);
}

/** Concatenates per-step tensors [B, ·] in time order into [steps·B, ·]. */
function stackRows(steps: readonly tf.Tensor[]): tf.Tensor {
  return steps.length === 1 ? steps[0]! : tf.concat([...steps], 0);
}

/** Splits [steps·B, C] into steps × [B, C]. */
export function unstackRows(x: tf.Tensor, steps: number): tf.Tensor[] {
  return steps === 1 ? [x] : tf.unstack(x.reshape([steps, -1, x.shape[1]!]));
}

/**
 * Runs `rec` over a time-major sequence as one op with a hand-written gradient, the same contract
 * as `scan` (./run.ts): x [T·B, in] (row t·B + b is step t of sequence b), state [B, stateSize[i]]
 * each, one mask per step (null: every row has T steps) → output [T, B, stateSize[0]] and the
 * final state. Call inside `tf.tidy`.
 */
export function fusedScan(
  rec: FusedRecurrence,
  x: tf.Tensor,
  T: number,
  state: readonly tf.Tensor[],
  masks: readonly StepMask[] | null,
  reverse: boolean,
): { output: tf.Tensor; state: tf.Tensor[] } {
  const B = x.shape[0]! / T;
  const S = rec.stateSize;
  const nStates = S.length;
  const active = masks === null ? T : masks.filter((m) => m !== 'none').length; // steps 0..active−1 run
  const order = (k: number) => (reverse ? active - 1 - k : k); // the time step of run step k
  const maskAt = (t: number): StepMask => (masks === null ? 'all' : masks[t]!);
  const bias = rec.inputBias;
  const sizes = [T * B * S[0]!, ...S.map((size) => B * size)]; // output, then each final state, flattened

  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.pop() as tf.GradSaveFunc;
    const inputs = args as tf.Tensor[];
    const outputs: tf.Tensor[] = new Array<tf.Tensor>(T);
    for (let t = active; t < T; t++) outputs[t] = tf.zeros([B, S[0]!]);
    let current = inputs.slice(1, 1 + nStates);
    const saved: tf.Tensor[][] = new Array<tf.Tensor[]>(active); // per time step
    const prev: tf.Tensor[][] = new Array<tf.Tensor[]>(active);
    if (active > 0) {
      const steps = rec.stepInputs(bias === null ? inputs[0]! : tf.add(inputs[0]!, inputs[1 + nStates]!), active);
      for (let k = 0; k < active; k++) {
        const t = order(k);
        prev[t] = current;
        const { next, saved: kept } = rec.step(steps[t]!, current);
        saved[t] = kept;
        const mask = maskAt(t);
        if (mask === 'all') {
          outputs[t] = next[0]!;
          current = next;
        } else if (mask !== 'none') {
          outputs[t] = tf.mul(next[0]!, mask.valid); // (B, S0)
          current = next.map((s, i) => tf.add(tf.mul(s, mask.valid), tf.mul(current[i]!, mask.padded)));
        }
      }
    }
    // Everything the backward pass reads is saved: the weights, the partial steps' masks, then per
    // step the recurrence's saved tensors and the states entering it.
    const partial = partialMasks().flatMap(([, m]) => [m.valid, m.padded]);
    save([...inputs.slice(inputs.length - rec.weights.length), ...partial, ...saved.flat(), ...prev.flat()]);
    const packed = [tf.stack(outputs), ...current].map((t) => t.reshape([-1])); // (T·B·S0), (B·S_i)…
    const nSaved = active === 0 ? 0 : saved[0]!.length;
    return {
      value: tf.concat(packed),
      gradFunc: (dy: tf.Tensor, all: tf.Tensor[]) => backward(dy, all, nSaved),
    };
  });

  /** The masks of the steps where some rows are padded, with their time step. */
  function partialMasks(): Array<[number, Exclude<StepMask, 'all' | 'none'>]> {
    const out: Array<[number, Exclude<StepMask, 'all' | 'none'>]> = [];
    for (let t = 0; t < active; t++) {
      const mask = maskAt(t);
      if (mask !== 'all' && mask !== 'none') out.push([t, mask]);
    }
    return out;
  }

  /** The gradient of every input of the op from dy, the gradient of its packed value, and the saved tensors. */
  function backward(dy: tf.Tensor, all: tf.Tensor[], nSaved: number): tf.Tensor[] {
    const nWeights = rec.weights.length;
    const weights = all.slice(0, nWeights);
    const masksAt = new Map(partialMasks().map(([t], j) => [t, { valid: all[nWeights + 2 * j]!, padded: all[nWeights + 2 * j + 1]! }]));
    const kept = all.slice(nWeights + 2 * masksAt.size);
    const [dOutput, ...dFinal] = tf.split(dy, sizes);
    let dState = dFinal.map((d, i) => d.reshape([B, S[i]!]));
    if (active === 0) return [tf.zeros(xProj.shape), ...dState, ...(bias === null ? [] : [tf.zeros(bias.shape)]), ...weights.map((w) => tf.zerosLike(w))];
    const dOut = unstackRows(tf.slice(dOutput!, [0], [active * B * S[0]!]).reshape([active * B, S[0]!]), active); // active × (B, S0)
    const perStep = (offset: number, count: number) =>
      Array.from({ length: count }, (_, j) => stackRows(Array.from({ length: active }, (__, t) => kept[offset + t * count + j]!)));
    const back = rec.backward(perStep(0, nSaved), perStep(active * nSaved, nStates), active, weights);
    const dXProj: tf.Tensor[] = new Array<tf.Tensor>(active);
    const keep: tf.Tensor[][] = new Array<tf.Tensor[]>(active);
    for (let k = active - 1; k >= 0; k--) {
      const t = order(k);
      const mask = masksAt.get(t) ?? 'all';
      const dh = tf.add(dState[0]!, dOut[t]!); // (B, S0): through the output and the next step
      let grads: StepGradients;
      if (mask === 'all') {
        grads = back.step(t, [dh, ...dState.slice(1)]);
      } else {
        // Padded rows kept their state: the step's gradient reaches only valid rows, the rest passes through.
        grads = back.step(t, [dh, ...dState.slice(1)].map((d) => tf.mul(d, mask.valid)));
        grads = { ...grads, dPrev: grads.dPrev.map((d, i) => tf.add(d, tf.mul(dState[i]!, mask.padded))) };
      }
      dXProj[t] = grads.dXProj;
      keep[t] = grads.keep;
      dState = grads.dPrev;
    }
    const keepStacked = keep[0]!.map((_, j) => stackRows(keep.map((k) => k[j]!))); // (active·B, ·) each
    const dXProjAll = stackRows(dXProj); // (active·B, G)
    return [dXProjAll, ...dState, ...(bias === null ? [] : [sumRows(dXProjAll)]), ...back.weightGradients(dXProjAll, keepStacked)];
  }

  // The projection of the active steps only (steps past the longest row never reach the op); with no active step, a placeholder.
  const xProj = active === 0 ? tf.zeros([0, 1]) : rec.projectInput(active === T ? x : tf.slice(x, [0, 0], [active * B, -1])); // (active·B, G)
  const packed = op(xProj, ...state, ...(bias === null ? [] : [bias]), ...rec.weights);
  const [output, ...final] = tf.split(packed, sizes);
  return { output: output!.reshape([T, B, S[0]!]), state: final.map((s, i) => s.reshape([B, S[i]!])) };
}
