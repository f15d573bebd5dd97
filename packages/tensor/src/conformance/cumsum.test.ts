/**
 * Conformance of `tf.cumsum` on every backend: inclusive and exclusive, forward and reverse, along
 * the last and an inner axis, float32 and int32, and its gradient, against a reference that sums
 * by the definition.
 */
import { describe, expect, it } from 'vitest';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import { tf } from '../index.js';

forceDeviceKernels();
disposeAfterEach();

const SHAPE = [2, 3, 5];
const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
const x = testValues(30, 1);
const w = testValues(32, 2);

/** Whether position j along the axis adds into output position i. */
function contributes(i: number, j: number, exclusive: boolean, reverse: boolean): boolean {
  const ahead = reverse ? j > i : j < i;
  return ahead || (!exclusive && i === j);
}

/**
 * The cumulative sum of `v` (of `shape`) along `axis`, and the gradient of Σ w ⊙ cumsum(v), both
 * by the definition.
 */
function reference(v: readonly number[], axis: number, exclusive: boolean, reverse: boolean, shape = SHAPE) {
  const n = shape[axis]!;
  const stride = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const out = new Array<number>(v.length).fill(0);
  const grad = new Array<number>(v.length).fill(0);
  for (let flat = 0; flat < v.length; flat++) {
    const i = Math.floor(flat / stride) % n;
    const base = flat - i * stride; // the same line with axis index 0
    for (let j = 0; j < n; j++) {
      if (!contributes(i, j, exclusive, reverse)) continue;
      out[flat]! += v[base + j * stride]!;
      grad[base + j * stride]! += w[flat]!;
    }
  }
  return { out, grad };
}

const combos = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;
const cases = [2, 1].flatMap((axis) => combos.map(([exclusive, reverse]) => ({ axis, exclusive, reverse })));
const label = (c: (typeof cases)[number]) => `axis ${c.axis}${c.exclusive ? ', exclusive' : ''}${c.reverse ? ', reverse' : ''}`;

describe('cumsum', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const y = tf.cumsum(tf.tensor(x, SHAPE), c.axis, c.exclusive, c.reverse);
    await expectClose(y, tf.tensor(reference(x, c.axis, c.exclusive, c.reverse).out, SHAPE), 1e-6, 1e-5);
  });

  /** Checks the gradient of Σ w ⊙ cumsum(x) for an input of `shape`. */
  async function checkGradient(c: (typeof cases)[number], shape = SHAPE) {
    const v = testValues(size(shape), 1);
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(tf.cumsum(t, c.axis, c.exclusive, c.reverse), tf.tensor(w.slice(0, v.length), shape)));
    const g = tf.grad(loss)(tf.tensor(v, shape));
    await expectClose(g, tf.tensor(reference(v, c.axis, c.exclusive, c.reverse, shape).grad, shape), 1e-6, 1e-5);
  }

  // tfjs-core 4.22's own Cumsum gradient transposed its result for any axis but the last; the
  // seam's (src/gradients/Cumsum.ts) replaces it. The [2, 4, 4] case catches a silent transpose.
  it.each(cases.map((c) => [label(c), c] as const))('%s: gradient', async (_, c) => {
    await checkGradient(c);
  });
  it('axis 1 of [2, 4, 4]: gradient', async () => {
    await checkGradient({ axis: 1, exclusive: false, reverse: false }, [2, 4, 4]);
  });

  it('reverse scans of different lengths in a row each use their own length', async () => {
    // A kernel that compiles the scan length into a cached shader reuses the first one it saw.
    for (const [n, exclusive] of [[5, false], [3, false], [4, true], [2, true]] as const) {
      const v = testValues(2 * n, n);
      const y = tf.cumsum(tf.tensor(v, [2, n]), 1, exclusive, true);
      const want = v.map((_, flat) => {
        const [r, i] = [Math.floor(flat / n), flat % n];
        return v.slice(r * n, (r + 1) * n).reduce((s, vj, j) => (contributes(i, j, exclusive, true) ? s + vj : s), 0);
      });
      await expectClose(y, tf.tensor(want, [2, n]), 1e-6, 1e-5);
    }
  });

  it.each([
    [[7], 0],
    [[2, 2, 2, 3], 3],
    [[2, 2, 2, 3], 1],
  ])('shape [%s] along axis %i, inclusive and exclusive, reversed', async (shape, axis) => {
    const v = testValues(size(shape), 4);
    for (const exclusive of [false, true]) {
      const y = tf.cumsum(tf.tensor(v, shape), axis, exclusive, true);
      await expectClose(y, tf.tensor(reference(v, axis, exclusive, true, shape).out, shape), 1e-6, 1e-5);
    }
  });

  it('int32 sums exactly', async () => {
    const ints = Array.from({ length: 30 }, (_, i) => ((i * 37) % 11) - 5);
    const y = tf.cumsum(tf.tensor(ints, SHAPE, 'int32'), 2, true, true);
    expect(y.dtype).toBe('int32');
    await expectClose(y, tf.tensor(reference(ints, 2, true, true).out, SHAPE, 'int32'), 0, 0);
  });

  it('leaks no tensors, forward or backward', async () => {
    const t = tf.tensor(x, SHAPE);
    await expectNoLeak(() => tf.cumsum(t, 2, true, false));
    await expectNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(tf.cumsum(v, 2, false, true)))(t));
  });
});
