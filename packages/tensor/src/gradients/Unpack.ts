/**
 * The gradient of `Unpack` (`tf.unstack`), replacing tfjs-core 4.22's, which stacks the output
 * gradients as given: when some outputs do not reach the loss their gradient is null and `stack`
 * throws. Here a missing output gradient counts as zeros (as TensorFlow's `_UnpackGrad`, where
 * unconnected outputs get zero gradients).
 */
import * as tf from '@tensorflow/tfjs-core';

export const unpackGradConfig: tf.GradConfig = {
  kernelName: tf.Unpack,
  inputsToSave: ['value'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [value] = saved as [tf.Tensor];
    const axis = tf.util.parseAxisParam(attrs.axis as number, value.shape)[0]!;
    const pieceShape = value.shape.filter((_, i) => i !== axis);
    const dys = dy as Array<tf.Tensor | null>;
    return { value: () => tf.stack(dys.map((d) => d ?? tf.zeros(pieceShape, value.dtype)), axis) };
  },
};
