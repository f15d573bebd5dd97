/**
 * `gradientFlow`: how much each input step still moves the final hidden state, the picture of
 * vanishing gradients (Bengio, Simard & Frasconi, 1994; Hochreiter & Schmidhuber, 1997). For each
 * step t it returns ‖∂h_T/∂x_t‖_F, the Frobenius norm of the Jacobian of the top layer's final
 * forward-direction state h_T [P] with respect to the input x_t [inputSize], averaged over the batch.
 *
 * The whole Jacobian comes from one backward pass: the batch is repeated P times and copy j
 * back-propagates from unit j of h_T only (rows of a batch do not interact).
 */
import { assertLastDim, assertRank, tf } from '@lmkit/tensor';
import type { HiddenState, RecurrentLayer } from './recurrent-layer.js';

/**
 * x: [B, T, inputSize] → T norms, ‖∂h_T/∂x_t‖_F averaged over the batch, for t = 0..T−1.
 * Measured in eval mode (no dropout); the layer's mode is restored afterwards.
 *
 * @example const flow = await gradientFlow(new LSTM({ inputSize: 8, hiddenSize: 16 }), x); // [T] numbers
 */
export async function gradientFlow(layer: RecurrentLayer<HiddenState>, x: tf.Tensor): Promise<number[]> {
  assertRank('gradientFlow(x)', x, [3]);
  assertLastDim('gradientFlow(x)', x, layer.inputSize);
  const [B, T] = x.shape as [number, number, number];
  const P = layer.outputSize;
  const top = (layer.numLayers - 1) * layer.numDirections; // the top layer's forward direction
  const training = layer.training;
  layer.eval();
  try {
    const norms = tf.tidy(() => {
      const repeated = tf.tile(x, [P, 1, 1]); // (P·B, T, in): copy j is rows j·B .. j·B + B − 1
      const unit = tf.tensor2d(unitSelector(P, B), [P * B, P]); // (P·B, P): 1 at unit j in copy j
      const dx = tf.grad((input: tf.Tensor) => {
        const hT = layer.forward(input).state.h; // (L·D, P·B, P)
        const hTop = tf.slice(hT, [top, 0, 0], [1, P * B, P]).reshape([P * B, P]);
        return tf.sum(tf.mul(hTop, unit));
      })(repeated); // (P·B, T, in): row j·B + b holds ∂h_T[b, j]/∂x[b]
      const squares = tf.sum(tf.square(dx), 2).reshape([P, B, T]).sum(0); // (B, T): ‖∂h_T/∂x_t‖_F² per row
      return tf.mean(tf.sqrt(squares), 0); // (T)
    });
    const values = Array.from(await norms.data());
    norms.dispose();
    return values;
  } finally {
    layer.train(training);
  }
}

/** [P·B, P] row-major: row j·B + b is one-hot at j. */
function unitSelector(P: number, B: number): Float32Array {
  const out = new Float32Array(P * B * P);
  for (let j = 0; j < P; j++) for (let b = 0; b < B; b++) out[(j * B + b) * P + j] = 1;
  return out;
}
