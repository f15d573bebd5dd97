/**
 * `Dropout` (Srivastava et al., 2014), as `torch.nn.Dropout`: in training mode zeroes each element
 * with probability p and scales the rest by 1/(1−p); in eval mode it is the identity.
 *
 * Porting note: the mask comes from the module's seeded `Rng` (in JavaScript), so a seed gives
 * the same mask on every backend.
 */
import { checkNumber } from './checks.js';
import { Module } from './module.js';
import { Rng } from './rng.js';
import { tf } from './tf.js';

export interface DropoutConfig {
  /** Drop probability in [0, 1). Default 0.5. */
  readonly p?: number;
  /** Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export class Dropout extends Module {
  readonly p: number;
  private readonly rng: Rng;

  constructor(config: DropoutConfig = {}) {
    super();
    this.p = checkNumber('Dropout.p', config.p ?? 0.5, 0, 1, true);
    this.rng = config.rng ?? new Rng(0);
  }

  /** x: any shape → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    return dropout(x, this.training ? this.p : 0, this.rng);
  }
}

/** Functional dropout: with p = 0 returns a copy-free alias of `x` (`tf.clone`). */
export function dropout(x: tf.Tensor, p: number, rng: Rng): tf.Tensor {
  if (p === 0) return tf.clone(x);
  return tf.tidy(() => {
    const keep = rng.bernoulli(x.shape, 1 - p);
    return tf.mul(x, tf.mul(keep, 1 / (1 - p)));
  });
}
