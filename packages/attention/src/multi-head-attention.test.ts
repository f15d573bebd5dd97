import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, ShapeError, tf } from '@lmkit/tensor';
import cases from '../fixtures/multi_head_attention.json' with { type: 'json' };
import { MultiHeadAttention } from './index.js';
import { expectMatchesFixture, maskOf, type FixtureCase } from './testing/fixtures.js';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues, type Nested } from '@lmkit/testing';

forceDeviceKernels();
disposeAfterEach();

interface MhaCase extends FixtureCase {
  readonly embed_dim: number;
  readonly num_heads: number;
  readonly bias: boolean;
  readonly kdim: number | null;
  readonly vdim: number | null;
  readonly self: boolean;
  readonly average: boolean;
  readonly weights: Nested;
}

describe('MultiHeadAttention against torch.nn.MultiheadAttention', () => {
  for (const c of cases as unknown as MhaCase[]) {
    it(`${c.name}: output, weights and gradients`, async () => {
      const mha = new MultiHeadAttention({ embedDim: c.embed_dim, numHeads: c.num_heads, bias: c.bias, kdim: c.kdim ?? undefined, vdim: c.vdim ?? undefined });
      const attnMask = maskOf(c, 'attn_mask');
      const keyPaddingMask = maskOf(c, 'key_padding_mask');
      const options = { attnMask, keyPaddingMask, averageWeights: c.average };
      const names = c.self ? ['x'] : ['query', 'key', 'value'];
      // Self-attention passes one tensor three times, as PyTorch's mha(x, x, x).
      const attend = (xs: tf.Tensor[], needWeights = false) => mha.forward(xs[0]!, xs[c.self ? 0 : 1]!, xs[c.self ? 0 : 2]!, { ...options, needWeights });
      await expectMatchesFixture(mha, c, names, (...xs) => attend(xs).output);
      const { output, weights } = attend(names.map((n) => tf.tensor(c.inputs[n] as number[][][])), true);
      await expectClose(weights!, c.weights);
      tf.dispose([output, weights!, attnMask, keyPaddingMask].filter((t) => t !== undefined));
      mha.dispose();
    });
  }
});

describe('MultiHeadAttention', () => {
  const x = () => tf.tensor(testValues(2 * 5 * 8, 1), [2, 5, 8]);

  it("initialises as PyTorch: xavier-uniform in_proj, zero biases, PyTorch's names", async () => {
    const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng: new Rng(1) });
    expect(mha.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['in_proj_weight', [24, 8]],
      ['in_proj_bias', [24]],
      ['out_proj.weight', [8, 8]],
      ['out_proj.bias', [8]],
    ]);
    const w = Array.from(await mha.inProjWeight!.data());
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (8 + 24)));
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.8 * Math.sqrt(6 / (8 + 24)));
    expect(Array.from(await mha.inProjBias!.data()).every((b) => b === 0)).toBe(true);
    expect(Array.from(await mha.outProj.bias!.data()).every((b) => b === 0)).toBe(true);
    mha.dispose();
    const cross = new MultiHeadAttention({ embedDim: 8, numHeads: 2, kdim: 3, vdim: 5, bias: false });
    expect(cross.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['q_proj_weight', [8, 8]],
      ['k_proj_weight', [8, 3]],
      ['v_proj_weight', [8, 5]],
      ['out_proj.weight', [8, 8]],
    ]);
    cross.dispose();
  });

  it('computes the same in blocks of queries, with masks, weights and gradients', async () => {
    const rng = () => new Rng(4);
    const plain = new MultiHeadAttention({ embedDim: 8, numHeads: 2, rng: rng() });
    const blocked = new MultiHeadAttention({ embedDim: 8, numHeads: 2, blockSize: 2, rng: rng() });
    const input = x();
    const keyPaddingMask = tf.tensor([[false, false, false, true, true], [false, false, false, false, false]], [2, 5], 'bool');
    const options = { isCausal: true, keyPaddingMask, needWeights: true, averageWeights: false };
    const a = plain.forward(input, input, input, options);
    const b = blocked.forward(input, input, input, options);
    await expectClose(b.output, a.output, 1e-6, 1e-5);
    await expectClose(b.weights!, a.weights!, 1e-6, 1e-5);
    const grads = (m: MultiHeadAttention) => tf.variableGrads(() => tf.sum(tf.square(m.forward(input, input, input, options).output)) as tf.Scalar, m.parameters()).grads;
    const [ga, gb] = [grads(plain), grads(blocked)];
    for (const [[, pa], [, pb]] of plain.namedParameters().map((e, i) => [e, blocked.namedParameters()[i]!] as const)) {
      await expectClose(gb[pb.name]!, ga[pa.name]!, 1e-6, 1e-5);
    }
    tf.dispose([input, keyPaddingMask, a.output, a.weights!, b.output, b.weights!, ...Object.values(ga), ...Object.values(gb)]);
    plain.dispose();
    blocked.dispose();
  });

  it('drops attention weights in training mode only', async () => {
    const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 2, dropout: 0.5 });
    const input = x();
    const train = mha.forward(input, input, input, { needWeights: true });
    mha.eval();
    const evaluated = mha.forward(input, input, input, { needWeights: true });
    expect(Array.from(await train.weights!.data()).some((w) => w === 0)).toBe(true);
    const sums = await tf.sum(evaluated.weights!, -1).data();
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    tf.dispose([input, train.output, train.weights!, evaluated.output, evaluated.weights!]);
    mha.dispose();
  });

  it('rejects bad config and inputs with typed errors naming the argument', () => {
    expect(() => new MultiHeadAttention({ embedDim: 8, numHeads: 3 })).toThrow(ConfigError);
    expect(() => new MultiHeadAttention({ embedDim: 8, numHeads: 3 })).toThrow(/MultiHeadAttention.numHeads: expected a divisor of embedDim \(8\), got 3/);
    expect(() => new MultiHeadAttention({ embedDim: 0, numHeads: 1 })).toThrow(/MultiHeadAttention.embedDim/);
    expect(() => new MultiHeadAttention({ embedDim: 8, numHeads: 2, dropout: -0.1 })).toThrow(/MultiHeadAttention.dropout/);
    expect(() => new MultiHeadAttention({ embedDim: 8, numHeads: 2, blockSize: 0 })).toThrow(/MultiHeadAttention.blockSize/);
    const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 2 });
    const input = x();
    const at = (options: object) => () => mha.forward(input, input, input, options);
    expect(() => mha.forward(tf.zeros([2, 5, 6]), input, input)).toThrow(/forward\(query\): expected last dimension 8/);
    expect(() => mha.forward(input, tf.zeros([3, 5, 8]), tf.zeros([3, 5, 8]))).toThrow(ShapeError);
    expect(at({ attnMask: tf.zeros([5, 4], 'bool') })).toThrow(/attnMask\): expected shape \[Tq, Tk\] = \[5, 5\] or \[B·numHeads, Tq, Tk\] = \[4, 5, 5\], got shape \[5, 4\]/);
    expect(at({ attnMask: tf.zeros([2, 5, 5], 'bool') })).toThrow(ShapeError);
    expect(at({ attnMask: tf.zeros([5, 5], 'int32') })).toThrow(/attnMask\): expected dtype bool or float32, got dtype int32/);
    expect(at({ keyPaddingMask: tf.zeros([2, 4], 'bool') })).toThrow(/keyPaddingMask\): expected shape \[B, Tk\] = \[2, 5\], got shape \[2, 4\]/);
    expect(at({ keyPaddingMask: tf.zeros([2, 5], 'int32') })).toThrow(/keyPaddingMask\): expected dtype bool or float32/);
    tf.dispose(input);
    mha.dispose();
  });

  it('does not leak: forward, weights, backward', async () => {
    const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 2, kdim: 3, vdim: 4 });
    const [q, k, v] = [x(), tf.ones([2, 4, 3]), tf.ones([2, 4, 4])];
    const mask = tf.zeros([5, 4], 'bool');
    await expectNoLeak(() => mha.forward(q, k, v, { attnMask: mask, needWeights: true }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(mha.forward(q, k, v).output) as tf.Scalar));
    tf.dispose([q, k, v, mask]);
    mha.dispose();
  });
});
