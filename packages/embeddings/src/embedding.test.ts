import { describe, expect, it } from 'vitest';
import { ConfigError, Module, Rng, ShapeError, tf } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak, fromNested, type Nested } from '@lmkit/testing';
import cases from '../fixtures/embedding.json' with { type: 'json' };
import { Embedding, TiedOutputProjection } from './embedding.js';
import { TokenIdError } from './errors.js';

interface EmbeddingCase {
  name: string;
  num_embeddings: number;
  embedding_dim: number;
  padding_idx: number | null;
  max_norm: number | null;
  ids: number[][];
  weight: Nested;
  gy: Nested;
  y: Nested;
  weight_after: Nested;
  dweight: Nested;
}

describe('Embedding against torch.nn.Embedding', () => {
  for (const c of cases as EmbeddingCase[]) {
    it(`${c.name}: output, in-place renorm and weight gradient`, async () => {
      const emb = new Embedding(c.num_embeddings, c.embedding_dim, {
        ...(c.padding_idx === null ? {} : { paddingIdx: c.padding_idx }),
        ...(c.max_norm === null ? {} : { maxNorm: c.max_norm }),
      });
      const w = fromNested(c.weight);
      emb.loadStateDict({ weight: w });
      const ids = tf.tensor(c.ids, undefined, 'int32');
      const gy = fromNested(c.gy);
      const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(emb.forward(ids), gy)) as tf.Scalar);
      const y = emb.forward(ids);
      await expectClose(y, c.y, 1e-5);
      await expectClose(emb.weight, c.weight_after, 1e-5);
      await expectClose(grads[emb.weight.name]!, c.dweight, 1e-5);
      tf.dispose([w, ids, gy, y, value, ...Object.values(grads)]);
      emb.dispose();
    });
  }
});

describe('Embedding', () => {
  it('has torch names and layout, N(0, 1) init and a zero padding row', async () => {
    const emb = new Embedding(50, 40, { paddingIdx: -1, rng: new Rng(3) });
    expect(emb.paddingIdx).toBe(49);
    expect(emb.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [50, 40]]]);
    const w = await emb.weight.data();
    const rest = Array.from(w.subarray(0, 49 * 40));
    const mean = rest.reduce((a, b) => a + b, 0) / rest.length;
    const std = Math.sqrt(rest.reduce((a, b) => a + (b - mean) ** 2, 0) / rest.length);
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(std - 1)).toBeLessThan(0.06);
    expect(Array.from(w.subarray(49 * 40))).toEqual(new Array(40).fill(0));
    emb.dispose();
  });

  it('looks up nested arrays like int32 tensors', async () => {
    const emb = new Embedding(5, 3);
    const ids = tf.tensor([[4, 0], [1, 4]], undefined, 'int32');
    await expectClose(emb.forward([[4, 0], [1, 4]]), emb.forward(ids), 0, 0);
    expect(emb.forward([2, 3, 1]).shape).toEqual([3, 3]);
    ids.dispose();
    emb.dispose();
  });

  it('rejects bad ids and bad config with typed errors', async () => {
    const emb = new Embedding(5, 3);
    expect(() => emb.forward([[0, 5]])).toThrow(TokenIdError);
    expect(() => emb.forward([[0, 5]])).toThrow(/Embedding.forward\(ids\): id 5 at \[0, 1\] is outside \[0, 4\]/);
    expect(() => emb.forward([[1.5, 2]])).toThrow(/id 1.5 at \[0, 0\] is not an integer/);
    expect(() => emb.forward([[-1]])).toThrow(TokenIdError);
    expect(() => emb.forward([[1, 2], [3]])).toThrow(ShapeError);
    const floats = tf.tensor([[1, 2]]);
    expect(() => emb.forward(floats)).toThrow(/expected dtype int32/);
    const outOfRange = tf.tensor([[1, 7]], undefined, 'int32');
    if (BACKEND !== 'webgpu') expect(() => emb.forward(outOfRange)).toThrow(/id 7 at flat position 1 is outside \[0, 4\]/);
    await expect(emb.checkIds(outOfRange)).rejects.toThrow(TokenIdError);
    expect(() => new Embedding(0, 3)).toThrow(ConfigError);
    expect(() => new Embedding(5, 3, { paddingIdx: 5 })).toThrow(/Embedding.paddingIdx: expected an integer in \[-5, 4\]/);
    expect(() => new Embedding(5, 3, { maxNorm: 0 })).toThrow(/Embedding.maxNorm/);
    tf.dispose([floats, outOfRange]);
    emb.dispose();
  });

  it('does not leak, forward or backward, with padding and maxNorm', async () => {
    const emb = new Embedding(6, 4, { paddingIdx: 0, maxNorm: 1 });
    const ids = tf.tensor([[0, 1, 5]], undefined, 'int32');
    await expectNoLeak(() => emb.forward(ids));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(emb.forward(ids)) as tf.Scalar));
    ids.dispose();
    emb.dispose();
  });
});

/** A tiny tied language model: logits = E(ids)·Eᵀ + b. */
class TiedLM extends Module {
  readonly embed: Embedding;
  readonly head: TiedOutputProjection;
  constructor() {
    super();
    this.embed = this.addModule('embed', new Embedding(6, 4, { paddingIdx: 0, rng: new Rng(1) }));
    this.head = this.addModule('head', new TiedOutputProjection(this.embed, { bias: true }));
  }
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h = this.embed.forward(ids); // (B, T, E)
      return this.head.forward(h); // (B, T, V)
    });
  }
}

describe('TiedOutputProjection', () => {
  it('shares the one embedding parameter: logits = h·Wᵀ + b', async () => {
    const lm = new TiedLM();
    expect(lm.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['embed.weight', [6, 4]],
      ['head.bias', [6]],
    ]);
    const h = tf.tensor([[[1, 0, 0, 0], [0, 0.5, 0, -1]]]);
    const want = tf.tidy(() => tf.matMul(h.reshape([2, 4]), lm.embed.weight, false, true).reshape([1, 2, 6]));
    await expectClose(lm.head.forward(h), want, 1e-6);
    expect(() => lm.head.forward(tf.zeros([2, 3]))).toThrow(ShapeError);
    tf.dispose([h, want]);
    lm.dispose();
  });

  it('trains through both uses of the weight with a flat tensor count', async () => {
    const lm = new TiedLM();
    const ids = tf.tensor([[1, 2, 3, 0], [4, 5, 1, 0]], undefined, 'int32');
    const targets = tf.oneHot(tf.tensor([[2, 3, 4, 0], [5, 1, 2, 0]], undefined, 'int32'), 6);
    const lossFn = () => tf.losses.softmaxCrossEntropy(targets, lm.forward(ids)) as tf.Scalar;
    const losses: number[] = [];
    let count = 0;
    for (let step = 0; step < 30; step++) {
      const { value, grads } = tf.variableGrads(lossFn);
      losses.push((await value.data())[0]!);
      for (const p of lm.parameters()) {
        const next = tf.tidy(() => tf.sub(p, tf.mul(grads[p.name]!, 0.5)));
        p.assign(next);
        next.dispose();
      }
      tf.dispose([value, ...Object.values(grads)]);
      if (step === 1) count = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(count);
    expect(losses[29]!).toBeLessThan(losses[0]! * 0.5);
    tf.dispose([ids, targets]);
    lm.dispose();
  });

  it('does not leak', async () => {
    const lm = new TiedLM();
    const ids = tf.tensor([[1, 2]], undefined, 'int32');
    await expectNoLeak(() => lm.forward(ids));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(lm.forward(ids)) as tf.Scalar));
    ids.dispose();
    lm.dispose();
  });
});
