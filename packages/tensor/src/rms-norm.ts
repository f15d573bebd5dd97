/**
 * `RMSNorm` (Zhang & Sennrich, 2019), as `torch.nn.RMSNorm`: y = x / √(mean(x²) + eps) · weight
 * over the trailing `normalizedShape` dimensions.
 *
 * Porting note: PyTorch's default eps is the dtype's machine epsilon; float32's is used here.
 */
import { assertTrailing, checkNormalizedShape, checkNumber } from './checks.js';
import { Module } from './module.js';
import { tf } from './tf.js';

export interface RMSNormConfig {
  readonly normalizedShape: number | readonly number[];
  /** Default 2⁻²³ (float32 machine epsilon), as PyTorch's `eps=None`. */
  readonly eps?: number;
  /** Learn weight (init 1). Default true. */
  readonly elementwiseAffine?: boolean;
}

export class RMSNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: tf.Variable | null;

  constructor(config: RMSNormConfig) {
    super();
    const shape = checkNormalizedShape('RMSNorm.normalizedShape', config.normalizedShape);
    this.normalizedShape = shape;
    this.eps = checkNumber('RMSNorm.eps', config.eps ?? 2 ** -23, 0, Infinity);
    this.weight = config.elementwiseAffine === false ? null : this.addParameter('weight', tf.ones(shape));
  }

  /** x: [..., *normalizedShape] → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    this.assertLive();
    const axes = assertTrailing('RMSNorm.forward(x)', x, this.normalizedShape);
    return tf.tidy(() => {
      const ms = tf.mean(tf.square(x), axes, true);
      const y = tf.mul(x, tf.rsqrt(tf.add(ms, this.eps)));
      return this.weight === null ? y : tf.mul(y, this.weight);
    });
  }
}
