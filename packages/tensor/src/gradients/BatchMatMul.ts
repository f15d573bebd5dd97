/**
 * The gradient of `BatchMatMul` (`tf.matMul`), replacing tfjs-core 4.22's.
 *
 * For C = op(A)·op(B) the gradients are the four transpose cases of tfjs-core's
 * `BatchMatMul_grad`; what differs is broadcasting: when one operand has fewer (or size-1) batch
 * dimensions than C, tfjs returns a gradient with C's batch shape, which the engine rejects
 * ("The gradient of input 'b' has shape '2,4,5', which does not match the shape of the input").
 * Here each gradient is summed over the broadcast batch axes and reshaped to its input's shape,
 * as PyTorch's `matmul` backward does.
 */
import * as tf from '@tensorflow/tfjs-core';

type Attrs = { transposeA: boolean; transposeB: boolean };

/** Sums `grad` over the axes along which `shape` was broadcast, then reshapes to `shape`. */
function reduceTo(grad: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((d, i) => d === shape[i])) return grad;
  // Only batch axes broadcast: compare all but the two matrix axes.
  const axes = tf.backend_util.getReductionAxes(shape.slice(0, -2), grad.shape.slice(0, -2));
  const summed = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(summed, [...shape]);
}

export const batchMatMulGradConfig: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const g = dy as tf.Tensor;
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as Attrs;
    let da: () => tf.Tensor;
    let db: () => tf.Tensor;
    if (!transposeA && !transposeB) {
      da = () => tf.matMul(g, b, false, true);
      db = () => tf.matMul(a, g, true, false);
    } else if (!transposeA && transposeB) {
      da = () => tf.matMul(g, b, false, false);
      db = () => tf.matMul(g, a, true, false);
    } else if (transposeA && !transposeB) {
      da = () => tf.matMul(b, g, false, true);
      db = () => tf.matMul(a, g, false, false);
    } else {
      da = () => tf.matMul(b, g, true, true);
      db = () => tf.matMul(g, a, true, true);
    }
    return { a: () => reduceTo(da(), a.shape), b: () => reduceTo(db(), b.shape) };
  },
};
