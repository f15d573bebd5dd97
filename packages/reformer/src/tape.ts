/**
 * Two controls over tfjs's gradient tape that Reformer needs and tfjs does not expose as ops:
 * `untaped` (TensorFlow's `stop_gradient` for a whole computation: LSH buckets and sort indices
 * are constants to the gradient) and `localGradients` (a vector–Jacobian product computed inside
 * a `tf.customGrad` gradient function, as the reversible backward pass does block by block).
 *
 * Porting note: measured here, calling `tf.grads` / `tf.valueAndGrads` inside a `tf.customGrad`
 * gradient function replaces the engine's active tape (the outer backward pass runs with gradient
 * depth 0, so the inner call starts a fresh tape) and finally sets it to null; the outer
 * `variableGrads` then throws while disposing its tape's saved tensors. `localGradients` saves the
 * outer tape and puts it back. Both helpers use the engine's own state, as its kernels do.
 */
import { tf } from '@lmkit/tensor';

/**
 * Runs `fn` without recording its ops on the gradient tape (the engine does the same while a
 * kernel runs), so its results are constants to every enclosing gradient. Integer index
 * computations (argmax, top-k sorts) must run here: their ops have no gradient to record.
 */
export function untaped<T>(fn: () => T): T {
  const state = tf.engine().state;
  state.kernelDepth++;
  try {
    return fn();
  } finally {
    state.kernelDepth--;
  }
}

/** Whether ops run now are recorded for a gradient (inside `tf.grad*` / `variableGrads`, outside kernels). */
export function recordingGradients(): boolean {
  return tf.engine().isTapeOn();
}

/**
 * y = fn() and the vector–Jacobian products dy·∂y/∂x for each of `xs` (zeros where y does not
 * depend on x), safe to call inside a `tf.customGrad` gradient function.
 */
export function localGradients(fn: () => tf.Tensor, xs: readonly tf.Tensor[], dy: tf.Tensor): { value: tf.Tensor; grads: tf.Tensor[] } {
  const engine = tf.engine();
  const outerTape = engine.state.activeTape;
  try {
    const { value, grads } = engine.gradients(fn, [...xs], dy, true);
    return { value, grads: grads.map((g, i) => g ?? tf.zerosLike(xs[i]!)) };
  } finally {
    engine.state.activeTape = outerTape;
  }
}
