/**
 * `Sequential`: modules applied in order, as `torch.nn.Sequential` (children named "0", "1", …).
 */
import { Module } from './module.js';
import type { tf } from './tf.js';

/** A module that maps one tensor to one tensor. */
export interface TensorModule extends Module {
  forward(x: tf.Tensor): tf.Tensor;
}

export class Sequential extends Module {
  readonly layers: readonly TensorModule[];

  constructor(...layers: TensorModule[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.addModule(String(i), layer));
  }

  /** x → layers[n-1](…layers[0](x)). Intermediate results are freed. */
  forward(x: tf.Tensor): tf.Tensor {
    this.assertLive();
    let h = x;
    for (const layer of this.layers) {
      const next = layer.forward(h);
      if (h !== x) h.dispose();
      h = next;
    }
    return h === x ? h.clone() : h;
  }
}
