/**
 * The Elman RNN layer's fused recurrence (./fused-scan.ts): h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ +
 * b_hh), act = tanh or relu, one fused product per step (relu fused into it).
 */
import { tf } from '@lmkit/tensor';
import type { Nonlinearity } from './config.js';
import { unstackRows, type FusedRecurrence } from './fused-scan.js';
import { sumBiases } from './recurrence.js';
import type { RNNWeights } from './rnn-cell.js';

/** The fused Elman RNN over `w` (biases optional). Call inside `tf.tidy`. */
export function fusedRnn(w: RNNWeights, nonlinearity: Nonlinearity): FusedRecurrence {
  const [weightIhT, weightHhT] = [tf.transpose(w.weightIh), tf.transpose(w.weightHh)]; // [in, H], [H, H]
  return {
    stateSize: [w.weightHh.shape[1]!],
    inputBias: sumBiases(w.biasIh, w.biasHh), // [H]
    weights: [w.weightHh],
    projectInput: (x) => tf.matMul(x, weightIhT), // (N, H)
    stepInputs: (xProj, steps) => unstackRows(xProj, steps).map((x) => [x]), // steps × (B, H)
    step: ([xProj], [h]) => {
      const next =
        nonlinearity === 'relu'
          ? tf.fused.matMul({ a: h!, b: weightHhT, bias: xProj!, activation: 'relu' })
          : tf.tanh(tf.fused.matMul({ a: h!, b: weightHhT, bias: xProj! })); // (B, H)
      return { next: [next], saved: [next] };
    },
    backward: ([hNext], [hPrev], active, [weightHh]) => {
      // act'(pre) from act's output: 1 − h² for tanh, [h > 0] for relu (0 at 0, as PyTorch).
      const slope = nonlinearity === 'relu' ? tf.cast(tf.greater(hNext!, 0), 'float32') : tf.sub(1, tf.square(hNext!));
      const slopes = unstackRows(slope, active);
      return {
        step: (t, [dh]) => {
          const dPre = tf.mul(dh!, slopes[t]!); // (B, H)
          return { dXProj: dPre, dPrev: [tf.matMul(dPre, weightHh!)], keep: [] };
        },
        weightGradients: (dPre) => [tf.matMul(dPre, hPrev!, true)], // (H, H)
      };
    },
  };
}
