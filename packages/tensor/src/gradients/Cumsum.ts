/**
 * The gradient of `Cumsum` (`tf.cumsum`), replacing tfjs-core 4.22's, which transposes its result
 * wrongly for any axis but the last (a shape error, or — when the two axes have equal length — a
 * silently transposed gradient).
 *
 * d/dx of cumsum(x, axis, exclusive, reverse) applied to dy is cumsum(dy, axis, exclusive,
 * !reverse): each input element contributes to exactly the outputs the reversed scan collects.
 */
import * as tf from '@tensorflow/tfjs-core';

type Attrs = { axis: number; exclusive: boolean; reverse: boolean };

export const cumsumGradConfig: tf.GradConfig = {
  kernelName: tf.Cumsum,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const { axis, exclusive, reverse } = attrs as unknown as Attrs;
    return { x: () => tf.cumsum(dy as tf.Tensor, axis, exclusive, !reverse) };
  },
};
