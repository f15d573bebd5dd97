/**
 * Conformance of the shape ops on every backend: concat, slice, stack, unstack, split and
 * transpose, forward and gradient.
 *
 * Each op is specified independently of tfjs by where every output element comes from: a function
 * from output coordinates to (input number, input coordinates). The forward pass must read the
 * inputs through that map; the gradient of Σₖ wₖ ⊙ outputₖ must scatter-add the weights back
 * through it.
 */
import { describe, expect, it } from 'vitest';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import { tf } from '../index.js';

forceDeviceKernels();
disposeAfterEach();

type Coords = number[];
interface Output {
  readonly shape: readonly number[];
  /** Output coordinates → [input number, input coordinates]. */
  readonly source: (c: Coords) => readonly [number, readonly number[]];
}

const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

function unravel(flat: number, shape: readonly number[]): Coords {
  const c = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return c;
}

const ravel = (c: readonly number[], shape: readonly number[]) => c.reduce((flat, ci, d) => flat * shape[d]! + ci, 0);

/**
 * Runs `op` on test inputs of `inShapes` and checks its outputs and the gradients of
 * Σₖ wₖ ⊙ outputₖ against the reference `outputs`.
 */
async function checkOp(inShapes: number[][], op: (xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], outputs: Output[]) {
  const inValues = inShapes.map((s, k) => testValues(size(s), k + 1));
  const weights = outputs.map((o, k) => testValues(size(o.shape), 10 + k));
  const wantGrads = inShapes.map((s) => new Array<number>(size(s)).fill(0));
  const wantOut = outputs.map((o, k) =>
    Array.from({ length: size(o.shape) }, (_, flat) => {
      const [input, c] = o.source(unravel(flat, o.shape));
      const at = ravel(c, inShapes[input]!);
      wantGrads[input]![at]! += weights[k]![flat]!;
      return inValues[input]![at]!;
    }),
  );
  const inputs = inShapes.map((s, k) => tf.tensor(inValues[k]!, s));
  const result = op(inputs);
  const got = Array.isArray(result) ? result : [result];
  expect(got).toHaveLength(outputs.length);
  for (let k = 0; k < outputs.length; k++) await expectClose(got[k]!, tf.tensor(wantOut[k]!, [...outputs[k]!.shape]), 0, 0);

  const loss = (...xs: tf.Tensor[]) => {
    const r = op(xs);
    const outs = Array.isArray(r) ? r : [r];
    return tf.addN(outs.map((o, k) => tf.sum(tf.mul(o, tf.tensor(weights[k]!, [...outputs[k]!.shape])))));
  };
  const grads = tf.grads(loss)(inputs);
  for (let k = 0; k < inShapes.length; k++) await expectClose(grads[k]!, tf.tensor(wantGrads[k]!, inShapes[k]!), 1e-6, 1e-6);
}

/** Concatenation along `axis` of inputs with the given sizes there. */
function concatSource(sizes: number[], axis: number) {
  return (c: Coords): readonly [number, Coords] => {
    let k = 0;
    let at = c[axis]!;
    while (at >= sizes[k]!) at -= sizes[k++]!;
    return [k, c.map((ci, d) => (d === axis ? at : ci))];
  };
}

describe('concat', () => {
  it.each([0, 1, 2])('three inputs of different sizes along axis %i', async (axis) => {
    const sizes = [2, 1, 3];
    const inShapes = sizes.map((n) => [2, 3, 4].map((d, i) => (i === axis ? n : d)));
    const outShape = [2, 3, 4].map((d, i) => (i === axis ? 6 : d));
    await checkOp(inShapes, (xs) => tf.concat(xs, axis), [{ shape: outShape, source: concatSource(sizes, axis) }]);
  });

  it('leaks no tensors, forward or backward', async () => {
    const xs = [tf.ones([2, 3]), tf.zeros([2, 1])];
    await expectNoLeak(() => tf.concat(xs, 1));
    await expectNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.concat([a, b], 1)))(xs));
  });
});

describe('slice', () => {
  it('rank 3 with an offset in every axis and size −1', async () => {
    const begin = [1, 1, 2];
    await checkOp([[3, 5, 4]], ([x]) => tf.slice(x!, begin, [2, 3, -1]), [
      { shape: [2, 3, 2], source: (c) => [0, c.map((ci, d) => ci + begin[d]!)] },
    ]);
  });

  it('rank 4, a time window of attention heads', async () => {
    const begin = [0, 1, 2, 0];
    await checkOp([[2, 2, 5, 3]], ([x]) => tf.slice(x!, begin, [2, 1, 2, 3]), [
      { shape: [2, 1, 2, 3], source: (c) => [0, c.map((ci, d) => ci + begin[d]!)] },
    ]);
  });

  it('leaks no tensors, forward or backward', async () => {
    const x = tf.ones([3, 5, 4]);
    await expectNoLeak(() => tf.slice(x, [1, 1, 2], [2, 3, -1]));
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(tf.slice(t, [1, 1, 2], [2, 3, -1])))(x));
  });
});

describe('stack / unstack', () => {
  it.each([0, 1, 2])('stack three [3, 4] tensors along axis %i', async (axis) => {
    const outShape = [3, 4];
    outShape.splice(axis, 0, 3);
    await checkOp([[3, 4], [3, 4], [3, 4]], (xs) => tf.stack(xs, axis), [
      { shape: outShape, source: (c) => [c[axis]!, c.filter((_, d) => d !== axis)] },
    ]);
  });

  it.each([0, 1, 2])('unstack [2, 3, 4] along axis %i', async (axis) => {
    const shape = [2, 3, 4];
    const outShape = shape.filter((_, d) => d !== axis);
    const outputs = Array.from({ length: shape[axis]! }, (_, k) => ({
      shape: outShape,
      source: (c: Coords) => [0, [...c.slice(0, axis), k, ...c.slice(axis)]] as const,
    }));
    await checkOp([shape], ([x]) => tf.unstack(x!, axis), outputs);
  });

  it('leaks no tensors, forward or backward', async () => {
    const xs = [tf.ones([3, 4]), tf.zeros([3, 4])];
    await expectNoLeak(() => tf.stack(xs, 1));
    await expectNoLeak(() => tf.unstack(xs[0]!, 1));
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(tf.unstack(t, 1)[2]!))(xs[0]!));
  });
});

describe('split', () => {
  /** Outputs of splitting `shape` along `axis` into pieces of `sizes`. */
  const pieces = (shape: number[], axis: number, sizes: number[]): Output[] =>
    sizes.map((n, k) => {
      const offset = sizes.slice(0, k).reduce((s, v) => s + v, 0);
      return {
        shape: shape.map((d, i) => (i === axis ? n : d)),
        source: (c: Coords) => [0, c.map((ci, d) => (d === axis ? ci + offset : ci))] as const,
      };
    });

  it('into 4 equal parts along the last axis (LSTM gates)', async () => {
    await checkOp([[2, 3, 8]], ([x]) => tf.split(x!, 4, -1), pieces([2, 3, 8], 2, [2, 2, 2, 2]));
  });

  it('into sizes [1, −1, 2] along axis 1', async () => {
    await checkOp([[2, 6, 3]], ([x]) => tf.split(x!, [1, -1, 2], 1), pieces([2, 6, 3], 1, [1, 3, 2]));
  });

  it('leaks no tensors, forward or backward', async () => {
    const x = tf.ones([2, 6, 3]);
    await expectNoLeak(() => tf.split(x, 3, 1));
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(tf.split(t, [1, -1, 2], 1)[1]!))(x));
  });
});

describe('transpose', () => {
  const transposed = (shape: number[], perm: number[]): Output => ({
    shape: perm.map((p) => shape[p]!),
    source: (c) => {
      const at = new Array<number>(shape.length);
      perm.forEach((p, i) => (at[p] = c[i]!));
      return [0, at];
    },
  });

  it.each([
    [[3, 4], [1, 0]],
    [[2, 3, 4], [2, 0, 1]],
    [[2, 3, 2, 4], [0, 2, 1, 3]], // [B, T, nh, hs] → [B, nh, T, hs]
  ])('[%s] by perm [%s]', async (shape, perm) => {
    await checkOp([shape], ([x]) => tf.transpose(x!, perm), [transposed(shape, perm)]);
  });

  it('leaks no tensors, forward or backward', async () => {
    const x = tf.ones([2, 3, 2, 4]);
    await expectNoLeak(() => tf.transpose(x, [0, 2, 1, 3]));
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(tf.transpose(t, [0, 2, 1, 3])))(x));
  });
});
