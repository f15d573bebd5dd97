import { describe, expect, it } from 'vitest';
import { tf, ConfigError, ShapeError } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak, testValues } from '@lmkit/testing';
import { ReformerEncoder } from '@lmkit/reformer';

const GPU = BACKEND === 'webgpu';

describe('ReformerEncoder', () => {
  const config = { dModel: 8, numHeads: 2, numLayers: 2, dFF: 16, chunkLength: 2, nHashes: 2, ffChunks: 2, axialShape: [4, 4] as const, seed: 3 };

  it('maps [B, T, dModel] → [B, T, dModel], reversible or not, with one set of parameter names', async () => {
    const rev = new ReformerEncoder(config);
    const plain = new ReformerEncoder({ ...config, reversible: false });
    expect(Object.keys(rev.stateDict())).toEqual(Object.keys(plain.stateDict()));
    expect(Object.keys(rev.stateDict())).toContain('layers.1.f.attention.qk.weight');
    expect(Object.keys(rev.stateDict())).toContain('layers.0.g.ff.linear2.bias');
    expect(Object.keys(rev.stateDict())).toContain('position_embeddings.weights.0');
    const x = tf.tensor(testValues(2 * 6 * 8), [2, 6, 8]);
    for (const m of [rev, plain]) {
      const y = m.forward(x);
      expect(y.shape).toEqual([2, 6, 8]);
      expect(Array.from(await y.data()).every(Number.isFinite)).toBe(true);
      y.dispose();
    }
    x.dispose();
    rev.dispose();
    plain.dispose();
  });

  it('padding: the real tokens’ outputs do not depend on what the padded positions hold', async () => {
    const [a, b] = [new ReformerEncoder(config), new ReformerEncoder(config)];
    const T = 6;
    const keyPaddingMask = tf.tensor([[0, 0, 0, 0, 1, 1]], [1, T], 'bool');
    const values = testValues(T * 8, 4);
    const x1 = tf.tensor(values, [1, T, 8]);
    const x2 = tf.tensor(values.map((v, i) => (i >= 4 * 8 ? v + 5 : v)), [1, T, 8]);
    const y1 = a.forward(x1, { keyPaddingMask });
    const y2 = b.forward(x2, { keyPaddingMask });
    const real = (y: tf.Tensor) => tf.slice(y, [0, 0, 0], [1, 4, 8]);
    await expectClose(real(y1), real(y2), 1e-5);
    tf.dispose([keyPaddingMask, x1, x2, y1, y2]);
    a.dispose();
    b.dispose();
  });

  it('trains: every parameter gets a gradient, a few SGD steps lower the loss, tensor counts stay flat', async () => {
    const enc = new ReformerEncoder({ ...config, numLayers: GPU ? 1 : 2 });
    const x = tf.tensor(testValues(1 * 4 * 8, 5), [1, 4, 8]);
    const target = tf.tensor(testValues(1 * 4 * 8, 6), [1, 4, 8]);
    const loss = () => tf.mean(tf.square(tf.sub(enc.forward(x), target))) as tf.Scalar;
    const optimizer = tf.train.sgd(0.05);
    const step = () => {
      const { value, grads } = tf.variableGrads(loss);
      optimizer.applyGradients(grads);
      tf.dispose(Object.values(grads));
      return value;
    };
    const { value: v0, grads } = tf.variableGrads(loss);
    expect(Object.keys(grads).sort()).toEqual(enc.parameters().map((p) => p.name).sort());
    const first = (await v0.data())[0]!;
    tf.dispose([v0, ...Object.values(grads)]);
    await expectNoLeak(step);
    for (let i = 0; i < (GPU ? 1 : 5); i++) step().dispose();
    const last = step();
    expect((await last.data())[0]!).toBeLessThan(first);
    tf.dispose([x, target, last]);
    optimizer.dispose();
    enc.dispose();
  });

  it('rejects bad configs', () => {
    expect(() => new ReformerEncoder({ ...config, numLayers: 0 })).toThrow(ConfigError);
    expect(() => new ReformerEncoder({ ...config, numHeads: 3 })).toThrow(/numHeads/);
    expect(() => new ReformerEncoder({ ...config, attention: { nBuckets: 5 } })).toThrow(/nBuckets/);
  });

  it('takes its positions from @lmkit/embeddings\' axial encoding (Hugging Face names) and rejects a T past the grid', () => {
    const enc = new ReformerEncoder(config);
    expect(enc.namedParameters().filter(([n]) => n.startsWith('position_embeddings')).map(([n, p]) => [n, p.shape])).toEqual([
      ['position_embeddings.weights.0', [4, 1, 4]],
      ['position_embeddings.weights.1', [1, 4, 4]],
    ]);
    const x = tf.zeros([1, 17, 8]);
    expect(() => enc.forward(x)).toThrow(ShapeError);
    x.dispose();
    enc.dispose();
  });
});
