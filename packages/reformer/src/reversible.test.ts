import { describe, expect, it } from 'vitest';
import { tf, Linear, Module, Rng } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak, testValues } from '@lmkit/testing';
import { AttentionSublayer, ChunkedFeedForward, FeedForwardSublayer, ReversibleBlock, ReversibleSequence, type BlockFunction } from '@lmkit/reformer';

const GPU = BACKEND === 'webgpu';

/** f(x) = tanh(x·Wᵀ + b): a deterministic block function. */
class TanhLayer extends Module implements BlockFunction {
  readonly lin: Linear;
  constructor(width: number, seed: number) {
    super();
    this.lin = this.addModule('lin', new Linear({ inFeatures: width, outFeatures: width, rng: new Rng(seed) }));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.tanh(this.lin.forward(x)));
  }
}

function simpleSequence(layers: number, C: number): ReversibleSequence {
  return new ReversibleSequence(Array.from({ length: layers }, (_, i) => new ReversibleBlock(new TanhLayer(C, i), new ChunkedFeedForward({ dModel: C, dFF: 2 * C, chunks: 2, seed: 100 + i }))));
}

/** Reformer layers: LSH attention (several hashes, dropout) and chunked feed-forward, seeded. */
function lshSequence(layers: number, C: number, chunkLength: number, dropout: number): ReversibleSequence {
  return new ReversibleSequence(
    Array.from(
      { length: layers },
      (_, i) =>
        new ReversibleBlock(
          new AttentionSublayer({ embedDim: C, numHeads: 2, chunkLength, nHashes: 2, causal: true, dropout, seed: 10 + i }),
          new FeedForwardSublayer({ dModel: C, dFF: 2 * C, chunks: 2, seed: 20 + i }),
        ),
    ),
  );
}

/**
 * The peak of `tf.memory().numBytes` while `fn` runs, sampled each time the engine registers a
 * tensor (as `tf.profile`'s `peakBytes`, without its per-kernel reads and timers).
 */
function peakBytes(fn: () => void): number {
  const engine = tf.engine() as unknown as { trackTensor: (...args: unknown[]) => void };
  const track = engine.trackTensor;
  let top = tf.memory().numBytes;
  engine.trackTensor = function (this: unknown, ...args: unknown[]) {
    track.apply(this, args);
    top = Math.max(top, tf.memory().numBytes);
  };
  try {
    fn();
  } finally {
    engine.trackTensor = track;
  }
  return top;
}

function input(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(testValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Σ y₁·w₁ + y₂·w₂ for fixed weights, and its gradients with respect to x₁, x₂ and every parameter. */
function lossAndGrads(seq: ReversibleSequence, x1: tf.Tensor, x2: tf.Tensor, stored: boolean, mask?: tf.Tensor) {
  const w1 = input(x1.shape, 7);
  const w2 = input(x1.shape, 8);
  const run = (a: tf.Tensor, b: tf.Tensor) => {
    const [y1, y2] = stored ? seq.forwardStored(a, b, { keyPaddingMask: mask }) : seq.forward(a, b, { keyPaddingMask: mask });
    return tf.sum(tf.add(tf.mul(y1, w1), tf.mul(y2, w2))) as tf.Scalar;
  };
  const [dx1, dx2] = tf.grads(run)([x1, x2]);
  const { value, grads } = tf.variableGrads(() => run(x1, x2));
  const named = seq.namedParameters().map(([name, p]) => [name, grads[p.name]!] as const);
  tf.dispose([w1, w2]);
  return { value, dx1: dx1!, dx2: dx2!, named, dispose: () => tf.dispose([value, dx1!, dx2!, ...Object.values(grads)]) };
}

describe('ReversibleSequence', () => {
  it('gives the same outputs as the blocks run as ordinary residual layers, and reverse() recovers the inputs', async () => {
    const seq = simpleSequence(3, 4);
    const x1 = input([2, 5, 4], 1);
    const x2 = input([2, 5, 4], 2);
    const [a1, a2] = tf.tidy(() => seq.forward(x1, x2));
    const [b1, b2] = seq.forwardStored(x1, x2);
    await expectClose(a1, b1, 1e-6);
    await expectClose(a2, b2, 1e-6);
    let [r1, r2] = [a1, a2];
    for (const block of [...seq.blocks].reverse()) [r1, r2] = block.reverse(r1, r2);
    await expectClose(r1, x1, 1e-5);
    await expectClose(r2, x2, 1e-5);
    tf.dispose([x1, x2, a1, a2, b1, b2, r1, r2]);
    seq.dispose();
  });

  it('gives the same input and parameter gradients as the ordinary residual stack (within 1e-5)', async () => {
    const layers = GPU ? 2 : 3;
    const seq = simpleSequence(layers, 4);
    const x1 = input([2, 6, 4], 3);
    const x2 = input([2, 6, 4], 4);
    const rev = lossAndGrads(seq, x1, x2, false);
    const sto = lossAndGrads(seq, x1, x2, true);
    await expectClose(rev.value, sto.value, 1e-5);
    await expectClose(rev.dx1, sto.dx1, 1e-5);
    await expectClose(rev.dx2, sto.dx2, 1e-5);
    expect(rev.named.length).toBe(6 * layers); // lin.weight, lin.bias, linear1/2 weight and bias
    for (const [i, [name, g]] of rev.named.entries()) {
      expect(g, name).toBeDefined();
      await expectClose(g, sto.named[i]![1], 1e-5);
    }
    rev.dispose();
    sto.dispose();
    tf.dispose([x1, x2]);
    seq.dispose();
  });

  it('replays LSH buckets and dropout: gradients equal the ordinary stack of identically seeded layers (within 1e-5)', async () => {
    const [layers, C, T] = GPU ? [1, 4, 4] : [2, 4, 8];
    const a = lshSequence(layers, C, 2, 0.2);
    const b = lshSequence(layers, C, 2, 0.2);
    const x = input([1, T, C], 5);
    const mask = tf.tensor([Array.from({ length: T }, (_, i) => (i === T - 2 ? 1 : 0))], [1, T], 'bool');
    const rev = lossAndGrads(a, x, x, false, mask);
    const sto = lossAndGrads(b, x, x, true, mask);
    await expectClose(rev.value, sto.value, 1e-5);
    await expectClose(rev.dx1, sto.dx1, 1e-5);
    await expectClose(rev.dx2, sto.dx2, 1e-5);
    for (const [i, [name, g]] of rev.named.entries()) {
      expect(g, name).toBeDefined();
      await expectClose(g, sto.named[i]![1], 1e-5);
    }
    rev.dispose();
    sto.dispose();
    tf.dispose([x, mask]);
    a.dispose();
    b.dispose();
  });

  // 12 LSH layers on the software GPU would take minutes; the byte counts are the engine's own
  // bookkeeping, the same on every backend.
  it.skipIf(GPU)('peak bytes of a training step stay flat in depth (< 10 % from 2 to 12 layers); the ordinary stack grows', () => {
    const [B, T, C] = [2, 64, 8];
    const peak = (layers: number, stored: boolean) => {
      const seq = lshSequence(layers, C, 8, 0);
      const x = input([B, T, C], 6);
      const before = tf.memory().numBytes;
      const top = peakBytes(() => {
        const { value, grads } = tf.variableGrads(() => {
          const [y1, y2] = stored ? seq.forwardStored(x, x) : seq.forward(x, x);
          return tf.sum(tf.add(y1, y2)) as tf.Scalar;
        });
        tf.dispose([value, ...Object.values(grads)]);
      });
      x.dispose();
      seq.dispose();
      return top - before;
    };
    const [rev2, rev12, sto2, sto12] = [peak(2, false), peak(12, false), peak(2, true), peak(12, true)];
    expect(rev12 / rev2).toBeLessThan(1.1);
    expect(sto12 / sto2).toBeGreaterThan(3);
    expect(rev12).toBeLessThan(sto12 / 3);
  });

  it('does not leak: a reversible training step keeps the tensor count flat', async () => {
    const seq = lshSequence(2, 4, 2, 0.1);
    const x = input([1, 6, 4], 9);
    const mask = tf.tensor([[0, 0, 0, 0, 1, 1]], [1, 6], 'bool');
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(seq.forward(x, x, { keyPaddingMask: mask })[0]) as tf.Scalar));
    await expectNoLeak(() => seq.forward(x, x));
    await expectNoLeak(() => seq.forwardStored(x, x));
    tf.dispose([x, mask]);
    seq.dispose();
  });
});
