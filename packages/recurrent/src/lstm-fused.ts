/**
 * The LSTM layer's fused recurrence (./fused-scan.ts), gates i, f, g, o, with the projection h =
 * (σ(o) ⊙ tanh(c))·W_hrᵀ when `weightHr` is set. A step is the gate product with the step's
 * input projection and the sigmoid fused into it, one split into the four gates, and the cell
 * update; its backward pass reads the gate activations, tanh(c') and the states entering it.
 *
 * Porting note: the g gate's tanh is computed as 2σ(2x) − 1 (the same function) so that one
 * sigmoid covers all four gates: the g columns of the input projection and of W_hhᵀ are doubled
 * once per forward, which is exact in floating point.
 */
import { tf } from '@lmkit/tensor';
import { unstackRows, type FusedRecurrence } from './fused-scan.js';
import { sumBiases } from './recurrence.js';
import type { RNNWeights } from './rnn-cell.js';

/** The weights of one LSTM layer and direction; `weightHr` [P, H] projects h (null: no projection). */
export interface LSTMWeights extends RNNWeights {
  readonly weightHr: tf.Tensor | null; // [P, H]
}

/** [4H]: `a` on the i, f and o blocks and `b` on the g block. */
function gateScale(H: number, a: number, b: number): tf.Tensor {
  return tf.concat([tf.fill([2 * H], a), tf.fill([H], b), tf.fill([H], a)]);
}

/** The fused LSTM over `w` (biases and projection optional). Call inside `tf.tidy`. */
export function fusedLstm(w: LSTMWeights): FusedRecurrence {
  const H = w.weightHh.shape[0]! / 4;
  const P = w.weightHr === null ? H : w.weightHr.shape[0]!;
  const doubleG = gateScale(H, 1, 2); // [4H]
  const weightIhT = tf.transpose(w.weightIh); // [in, 4H]
  const weightHhT = tf.mul(tf.transpose(w.weightHh), doubleG); // [P, 4H], g columns doubled
  const weightHrT = w.weightHr === null ? null : tf.transpose(w.weightHr); // [H, P]
  return {
    stateSize: [P, H],
    inputBias: sumBiases(w.biasIh, w.biasHh), // [4H]
    weights: w.weightHr === null ? [w.weightHh] : [w.weightHh, w.weightHr],
    projectInput: (x) => tf.matMul(x, weightIhT), // (N, 4H)
    stepInputs: (xProj, steps) => unstackRows(tf.mul(xProj, doubleG), steps).map((x) => [x]), // steps × (B, 4H), g columns doubled
    step: ([xProj], [h, c]) => {
      const s = tf.fused.matMul({ a: h!, b: weightHhT, bias: xProj!, activation: 'sigmoid' }); // (B, 4H): σ(i), σ(f), σ(2g), σ(o)
      const [i, f, sg, o] = tf.split(s, 4, 1); // (B, H) each
      const g = tf.sub(tf.mul(sg!, 2), 1); // tanh(g)
      const cNext = tf.add(tf.mul(f!, c!), tf.mul(i!, g)); // (B, H)
      const tc = tf.tanh(cNext); // (B, H)
      const hFull = tf.mul(o!, tc); // (B, H)
      if (weightHrT === null) return { next: [hFull, cNext], saved: [s, tc] };
      return { next: [tf.matMul(hFull, weightHrT), cNext], saved: [s, tc, hFull] }; // h (B, P)
    },
    backward: ([s, tc, hFull], [hPrev, cPrev], active, [weightHh, weightHrSaved]) => {
      const weightHr = weightHrSaved ?? null; // [P, H]
      // Per-step factors of every step at once, [N, ·] with N = active·B.
      const [i, f, sg, o] = tf.split(s!, 4, 1); // (N, H) each
      const g = tf.sub(tf.mul(sg!, 2), 1);
      const dAct = tf.mul(tf.mul(s!, tf.sub(1, s!)), gateScale(H, 1, 4)); // (N, 4H): σ' per gate, 1 − tanh² = 4σ(2x)(1 − σ(2x)) for g
      const gateFactor = unstackRows(tf.mul(tf.concat([g, cPrev!, i!, tc!], 1), dAct), active); // dgates = [dc, dc, dc, dh] ⊙ this
      const outFactor = unstackRows(tf.mul(o!, tf.sub(1, tf.square(tc!))), active); // dc += dh ⊙ this
      const forget = unstackRows(f!, active);
      return {
        step: (t, [dh, dc]) => {
          const dhFull = weightHr === null ? dh! : tf.matMul(dh!, weightHr); // (B, H)
          const dcTotal = tf.add(dc!, tf.mul(dhFull, outFactor[t]!)); // (B, H)
          const dGates = tf.mul(tf.concat([dcTotal, dcTotal, dcTotal, dhFull], 1), gateFactor[t]!); // (B, 4H)
          return { dXProj: dGates, dPrev: [tf.matMul(dGates, weightHh!), tf.mul(dcTotal, forget[t]!)], keep: weightHr === null ? [] : [dh!] };
        },
        weightGradients: (dGates, [dH]) => {
          const dWeightHh = tf.matMul(dGates, hPrev!, true); // (4H, P)
          return weightHr === null ? [dWeightHh] : [dWeightHh, tf.matMul(dH!, hFull!, true)]; // (P, H)
        },
      };
    },
  };
}
