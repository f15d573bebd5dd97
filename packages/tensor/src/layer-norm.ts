/**
 * `LayerNorm` (Ba et al., 2016), as `torch.nn.LayerNorm`: normalises over the trailing
 * `normalizedShape` dimensions with the biased variance, then applies weight and bias.
 */
import { assertTrailing, checkNormalizedShape, checkNumber } from './checks.js';
import { Module } from './module.js';
import { tf } from './tf.js';

export interface LayerNormConfig {
  /** The trailing dimensions to normalise over (a number means one dimension). */
  readonly normalizedShape: number | readonly number[];
  /** Added to the variance. Default 1e-5. */
  readonly eps?: number;
  /** Learn weight (init 1) and bias (init 0). Default true. */
  readonly elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, also learn the bias. Default true. */
  readonly bias?: boolean;
}

export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: tf.Variable | null;
  readonly bias: tf.Variable | null;

  constructor(config: LayerNormConfig) {
    super();
    const shape = checkNormalizedShape('LayerNorm.normalizedShape', config.normalizedShape);
    this.normalizedShape = shape;
    this.eps = checkNumber('LayerNorm.eps', config.eps ?? 1e-5, 0, Infinity);
    const affine = config.elementwiseAffine ?? true;
    this.weight = affine ? this.addParameter('weight', tf.ones(shape)) : null;
    this.bias = affine && config.bias !== false ? this.addParameter('bias', tf.zeros(shape)) : null;
  }

  /** x: [..., *normalizedShape] → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    this.assertLive();
    const axes = assertTrailing('LayerNorm.forward(x)', x, this.normalizedShape);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
      if (this.weight !== null) y = tf.mul(y, this.weight);
      if (this.bias !== null) y = tf.add(y, this.bias);
      return y;
    });
  }
}
