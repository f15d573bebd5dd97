/**
 * The tfjs-core op namespace, re-exported as is, with every gradient registered (tfjs-core's,
 * and the seam's corrections in ./gradients).
 *
 * Porting note: tfjs-core's Node build registers no gradients and no chained ops (`x.reshape`),
 * and its ESM files for them cannot be imported by plain Node; the package build bundles them
 * (scripts/build.mjs), and since tfjs keeps its kernel and gradient registries and its Tensor
 * class on the global object, they serve the user's copy of tfjs-core too.
 */
import * as tf from '@tensorflow/tfjs-core';
// After tfjs-core itself: the first copy loaded owns the global Tensor class (with chained ops).
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import { seamGradients } from './gradients/index.js';

// The seam's corrections to tfjs gradients (src/gradients/) replace tfjs-core's registrations.
for (const config of seamGradients) tf.registerGradient(config);

export { tf };
export type { Tensor, Variable, Rank, DataType, TensorLike, NamedTensorMap } from '@tensorflow/tfjs-core';
