/**
 * `Linear`: y = x·Wᵀ + b, as `torch.nn.Linear` (weight [out, in], bias [out], PyTorch's default
 * init: W ~ kaiming_uniform(a = √5) = U(±1/√in), b ~ U(±1/√in)).
 */
import { assertLastDim, checkInt } from './checks.js';
import * as init from './init.js';
import { Module } from './module.js';
import { Rng } from './rng.js';
import { tf } from './tf.js';

export interface LinearConfig {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Default true. */
  readonly bias?: boolean;
  /** Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: tf.Variable; // [out, in]
  readonly bias: tf.Variable | null; // [out]

  constructor(config: LinearConfig) {
    super();
    this.inFeatures = checkInt('Linear.inFeatures', config.inFeatures, 1);
    this.outFeatures = checkInt('Linear.outFeatures', config.outFeatures, 1);
    const rng = config.rng ?? new Rng(0);
    const bound = 1 / Math.sqrt(this.inFeatures);
    this.weight = this.addParameter('weight', init.kaimingUniform([this.outFeatures, this.inFeatures], { a: Math.sqrt(5), rng }));
    this.bias = config.bias === false ? null : this.addParameter('bias', init.uniform([this.outFeatures], { low: -bound, high: bound, rng }));
  }

  /** x: [..., in] → [..., out]. */
  forward(x: tf.Tensor): tf.Tensor {
    this.assertLive();
    assertLastDim('Linear.forward(x)', x, this.inFeatures);
    return tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      const x2 = x.reshape([-1, this.inFeatures]); // (N, in)
      let y = tf.matMul(x2, this.weight, false, true); // (N, out)
      if (this.bias !== null) y = tf.add(y, this.bias);
      return y.reshape([...lead, this.outFeatures]);
    });
  }
}
