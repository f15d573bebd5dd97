/**
 * `fusedAttention`: softmax(q·kᵀ·scale [+ causal mask])·v in one kernel, forward and backward,
 * with no (Tq, Tk) matrix held — on the wasm backend, where the seam has it (`LmkitAttention`,
 * `LmkitAttentionGrad`). Memory grows as O(T · d) instead of O(T²), and a causal pass skips the
 * keys a query cannot see. `@lmkit/attention` takes this path when no mask other than the causal
 * one, no dropout and no returned weights are asked for.
 */
import { LMKIT_ATTENTION } from './kernels/LmkitAttention.js';
import { LMKIT_ATTENTION_GRAD } from './kernels/LmkitAttentionGrad.js';
import { ConfigError, ShapeError } from './errors.js';
import { assertAttentionInputs, checkNumber } from './checks.js';
import { tf, type Tensor } from './tf.js';

export interface FusedAttentionOptions {
  /** Multiplies q·kᵀ. Default 1/√d. */
  readonly scale?: number;
  /** Query i sees keys 0 … i + Tk − Tq only (bottom-right aligned; needs Tq ≤ Tk). Default false. */
  readonly causal?: boolean;
}

/** Whether `fusedAttention` can run on the active backend (wasm with the seam's kernels on). */
export function fusedAttentionAvailable(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(LMKIT_ATTENTION, backend) !== undefined && tf.getKernel(LMKIT_ATTENTION_GRAD, backend) !== undefined;
}

/**
 * Attention of q (B, H, Tq, d) over k (B, H, Tk, d) and v (B, H, Tk, dv) → (B, H, Tq, dv), with a
 * gradient for q, k and v. Throws a ConfigError where `fusedAttentionAvailable()` is false.
 *
 * @example
 * await initBackend('wasm');
 * const out = fusedAttention(q, k, v, { causal: true }); // same as softmax(q·kᵀ/√d + causal)·v
 */
export function fusedAttention(q: Tensor, k: Tensor, v: Tensor, options: FusedAttentionOptions = {}): Tensor {
  const where = 'fusedAttention';
  const { Tq, Tk, d } = assertAttentionInputs(where, q, k, v);
  const causal = options.causal ?? false;
  if (causal && Tq > Tk) throw new ShapeError(`${where}(causal)`, 'at most as many queries as keys', `${Tq} queries and ${Tk} keys`);
  const scale = checkNumber(`${where}(scale)`, options.scale ?? 1 / Math.sqrt(d), -Number.MAX_VALUE, Number.MAX_VALUE);
  if (!fusedAttentionAvailable()) {
    throw new ConfigError(`${where}(backend)`, "wasm started by initBackend('wasm') with the seam's kernels on", tf.getBackend());
  }
  const attrs = { scale, causal };
  const attend = tf.customGrad((...args) => {
    const [qi, ki, vi] = args as [Tensor, Tensor, Tensor];
    const save = args[3] as tf.GradSaveFunc;
    const [o, stats] = tf.engine().runKernel(LMKIT_ATTENTION, { q: qi, k: ki, v: vi }, attrs) as Tensor[];
    save([qi, ki, vi, o!, stats!]);
    return {
      value: o!,
      gradFunc: (dy, saved) => {
        const [sq, sk, sv, so, sstats] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
        return tf.engine().runKernel(LMKIT_ATTENTION_GRAD, { q: sq, k: sk, v: sv, o: so, stats: sstats, dy: dy as Tensor }, attrs) as Tensor[];
      },
    };
  });
  return attend(q, k, v);
}
