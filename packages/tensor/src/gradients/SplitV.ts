/**
 * The gradient of `SplitV` (`tf.split`), replacing tfjs-core 4.22's, which concatenates the output
 * gradients as given: when some pieces do not reach the loss their gradient is null and `concat`
 * throws. Here a missing piece's gradient counts as zeros of that piece's shape.
 */
import * as tf from '@tensorflow/tfjs-core';

export const splitVGradConfig: tf.GradConfig = {
  kernelName: tf.SplitV,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x, attrs.numOrSizeSplits as number | number[], axis);
    const dys = dy as Array<tf.Tensor | null>;
    return {
      x: () =>
        tf.concat(
          dys.map((d, i) => d ?? tf.zeros(x.shape.map((s, j) => (j === axis ? sizes[i]! : s)), x.dtype)),
          axis,
        ),
    };
  },
};
