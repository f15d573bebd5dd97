/**
 * The gradient of `GatherV2` (`tf.gather`), replacing tfjs-core 4.22's.
 *
 * tfjs-core's handles `batchDims` 0 and 1 only (with 2 it throws "Size(12) must match the product
 * of shape 2,3,12"), and for 1 it splits into one gather and one segment sum per batch row. Here
 * every case is one scatter-add: with x viewed as [Bt, O, N, I] (batch, outer, gathered axis,
 * inner) and the indices as [Bt, K], dy is [Bt, O, K, I]; its rows are summed into segment
 * b·N + index with `unsortedSegmentSum`, as TensorFlow's `_GatherV2Grad` does.
 */
import * as tf from '@tensorflow/tfjs-core';

type Attrs = { axis: number; batchDims: number };

export const gatherV2GradConfig: tf.GradConfig = {
  kernelName: tf.GatherV2,
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor];
    const { axis: rawAxis, batchDims: rawBatchDims } = attrs as unknown as Attrs;
    const axis = tf.util.parseAxisParam(rawAxis, x.shape)[0]!;
    const batchDims = rawBatchDims < 0 ? rawBatchDims + indices.rank : rawBatchDims;
    return {
      x: () =>
        tf.tidy(() => {
          const size = (dims: number[]) => dims.reduce((p, d) => p * d, 1);
          const Bt = size(x.shape.slice(0, batchDims));
          const O = size(x.shape.slice(batchDims, axis));
          const N = x.shape[axis]!;
          const I = size(x.shape.slice(axis + 1));
          const K = size(indices.shape.slice(batchDims));
          const g = tf.reshape(dy as tf.Tensor, [Bt, O, K, I]);
          const rows = tf.reshape(tf.transpose(g, [0, 2, 1, 3]), [Bt * K, O * I]); // (Bt·K, O·I)
          const offsets = tf.reshape(tf.range(0, Bt * N, N, 'int32'), [Bt, 1]); // b·N
          const segments: tf.Tensor1D = tf.reshape(tf.add(tf.reshape(tf.cast(indices, 'int32'), [Bt, K]), offsets), [Bt * K]);
          const summed = tf.unsortedSegmentSum(rows, segments, Bt * N); // (Bt·N, O·I)
          const grad = tf.transpose(tf.reshape(summed, [Bt, N, O, I]), [0, 2, 1, 3]); // (Bt, O, N, I)
          return tf.reshape(grad, x.shape);
        }),
      indices: () => tf.zerosLike(indices),
    };
  },
};
