/**
 * The GRU layer's fused recurrence (./fused-scan.ts), gates r, z, n, in both variants of
 * ./gru-cell.ts: reset after the hidden product (PyTorch) or before it (Cho et al., 2014).
 *
 * Porting note: reset-before folds bias_hh into the input projection (its n block is added
 * outside the reset gate there, so only the sum b_ih + b_hh matters); reset-after keeps bias_hh in
 * the hidden product, where r scales its n block.
 */
import { tf } from '@lmkit/tensor';
import { sumRows, unstackRows, type FusedBackward, type FusedRecurrence } from './fused-scan.js';
import { columns, sumBiases } from './recurrence.js';
import type { RNNWeights } from './rnn-cell.js';

/** h' = (h − n) ⊙ z + n, as PyTorch's kernel computes (1 − z) ⊙ n + z ⊙ h. */
function interpolate(h: tf.Tensor, n: tf.Tensor, z: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(tf.sub(h, n), z), n);
}

/** The fused GRU over `w` (biases optional). Call inside `tf.tidy`. */
export function fusedGru(w: RNNWeights, resetAfter: boolean): FusedRecurrence {
  return resetAfter ? resetAfterGru(w) : resetBeforeGru(w);
}

/** With z, n and the state entering each step stacked [N, H]: the factors shared by both variants. */
function zFactors(z: tf.Tensor, n: tf.Tensor, hPrev: tf.Tensor) {
  const dn = tf.mul(tf.sub(1, z), tf.sub(1, tf.square(n))); // dn_pre = dh ⊙ this
  const dz = tf.mul(tf.sub(hPrev, n), tf.mul(z, tf.sub(1, z))); // dz_pre = dh ⊙ this
  return { dn, dz };
}

/** xProj [steps·B, 3H] → per step [x_rz (B, 2H), x_n (B, H)]. */
function splitSteps(xProj: tf.Tensor, steps: number, H: number): tf.Tensor[][] {
  const [xRz, xN] = tf.split(xProj, [2 * H, H], 1).map((t) => unstackRows(t, steps));
  return xRz!.map((rz, t) => [rz, xN![t]!]);
}

function resetAfterGru(w: RNNWeights): FusedRecurrence {
  const H = w.weightHh.shape[1]!;
  const [weightIhT, weightHhT] = [tf.transpose(w.weightIh), tf.transpose(w.weightHh)]; // [in, 3H], [H, 3H]
  return {
    stateSize: [H],
    inputBias: w.biasIh,
    weights: w.biasHh === null ? [w.weightHh] : [w.weightHh, w.biasHh],
    projectInput: (x) => tf.matMul(x, weightIhT), // (N, 3H)
    stepInputs: (xProj, steps) => splitSteps(xProj, steps, H),
    step: ([xRz, xN], [h]) => {
      const hProj = tf.fused.matMul({ a: h!, b: weightHhT, bias: w.biasHh ?? undefined }); // (B, 3H)
      const [hRz, hN] = tf.split(hProj, [2 * H, H], 1);
      const [r, z] = tf.split(tf.sigmoid(tf.add(xRz!, hRz!)), 2, 1); // (B, H) each
      const n = tf.tanh(tf.add(xN!, tf.mul(r!, hN!))); // (B, H)
      return { next: [interpolate(h!, n, z!)], saved: [r!, z!, n, hN!] };
    },
    backward: ([r, z, n, hN], [hPrev], active, [weightHh]): FusedBackward => {
      const { dn, dz } = zFactors(z!, n!, hPrev!);
      const dr = tf.mul(tf.mul(dn, hN!), tf.mul(r!, tf.sub(1, r!))); // dr_pre = dh ⊙ this
      const xFactor = unstackRows(tf.concat([dr, dz, dn], 1), active); // dXProj = [dh, dh, dh] ⊙ this
      const hFactor = unstackRows(tf.concat([dr, dz, tf.mul(dn, r!)], 1), active); // dHProj = [dh, dh, dh] ⊙ this
      const zs = unstackRows(z!, active);
      return {
        step: (t, [dh]) => {
          const dh3 = tf.concat([dh!, dh!, dh!], 1); // (B, 3H)
          const dHProj = tf.mul(dh3, hFactor[t]!); // (B, 3H)
          const dPrev = tf.add(tf.matMul(dHProj, weightHh!), tf.mul(dh!, zs[t]!)); // (B, H)
          return { dXProj: tf.mul(dh3, xFactor[t]!), dPrev: [dPrev], keep: [dHProj] };
        },
        weightGradients: (_, [dHProj]) => {
          const dWeightHh = tf.matMul(dHProj!, hPrev!, true); // (3H, H)
          return w.biasHh === null ? [dWeightHh] : [dWeightHh, sumRows(dHProj!)]; // (3H)
        },
      };
    },
  };
}

function resetBeforeGru(w: RNNWeights): FusedRecurrence {
  const H = w.weightHh.shape[1]!;
  const weightIhT = tf.transpose(w.weightIh); // [in, 3H]
  const weightHhT = tf.transpose(w.weightHh); // [H, 3H]
  const [weightHrzT, weightHnT] = [columns(weightHhT, 0, 2 * H), columns(weightHhT, 2 * H, H)]; // [H, 2H], [H, H]
  return {
    stateSize: [H],
    inputBias: sumBiases(w.biasIh, w.biasHh), // [3H]
    weights: [w.weightHh],
    projectInput: (x) => tf.matMul(x, weightIhT), // (N, 3H)
    stepInputs: (xProj, steps) => splitSteps(xProj, steps, H),
    step: ([xRz, xN], [h]) => {
      const [r, z] = tf.split(tf.fused.matMul({ a: h!, b: weightHrzT, bias: xRz!, activation: 'sigmoid' }), 2, 1); // (B, H) each
      const n = tf.tanh(tf.fused.matMul({ a: tf.mul(r!, h!), b: weightHnT, bias: xN! })); // (B, H)
      return { next: [interpolate(h!, n, z!)], saved: [r!, z!, n] };
    },
    backward: ([r, z, n], [hPrev], active, [weightHh]): FusedBackward => {
      const [weightHrz, weightHn] = tf.split(weightHh!, [2 * H, H], 0); // [2H, H], [H, H]
      const { dn, dz } = zFactors(z!, n!, hPrev!);
      const [dnSteps, dzSteps] = [unstackRows(dn, active), unstackRows(dz, active)];
      const drSteps = unstackRows(tf.mul(hPrev!, tf.mul(r!, tf.sub(1, r!))), active); // dr_pre = d(r ⊙ h) ⊙ this
      const [rs, zs] = [unstackRows(r!, active), unstackRows(z!, active)];
      return {
        step: (t, [dh]) => {
          const dnPre = tf.mul(dh!, dnSteps[t]!); // (B, H)
          const dRh = tf.matMul(dnPre, weightHn!); // (B, H): the gradient of r ⊙ h
          const dRz = tf.concat([tf.mul(dRh, drSteps[t]!), tf.mul(dh!, dzSteps[t]!)], 1); // (B, 2H)
          const dPrev = tf.addN([tf.matMul(dRz, weightHrz!), tf.mul(dh!, zs[t]!), tf.mul(dRh, rs[t]!)]); // (B, H)
          return { dXProj: tf.concat([dRz, dnPre], 1), dPrev: [dPrev], keep: [] };
        },
        weightGradients: (dXProj) => {
          const [dRz, dN] = tf.split(dXProj, [2 * H, H], 1); // (N, 2H), (N, H)
          return [
            tf.concat([
              tf.matMul(dRz!, hPrev!, true), // (2H, H)
              tf.matMul(dN!, tf.mul(r!, hPrev!), true), // (H, H)
            ]),
          ];
        },
      };
    },
  };
}
