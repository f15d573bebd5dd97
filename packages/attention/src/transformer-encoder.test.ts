import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, tf } from '@lmkit/tensor';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import cases from '../fixtures/stacks.json' with { type: 'json' };
import { TransformerEncoder } from './index.js';
import { expectMatchesFixture, layerConfig, maskOf, type LayerCase } from './testing/fixtures.js';

forceDeviceKernels();
disposeAfterEach();

type StackCase = LayerCase & { kind: string; num_layers: number; final_norm: boolean };
const encoderCase = (cases as unknown as StackCase[]).find((c) => c.kind === 'encoder')!;
const small = { dModel: 8, nHead: 2, dimFeedforward: 12, dropout: 0 };
const input = (B: number, T: number, seed = 1) => tf.tensor(testValues(B * T * 8, seed), [B, T, 8]);

describe('TransformerEncoder against torch.nn.TransformerEncoder', () => {
  for (const causal of ['mask', 'isCausal'] as const) {
    it(`${encoderCase.name} (causal by ${causal}): output and gradients`, async () => {
      const encoder = new TransformerEncoder({ ...layerConfig(encoderCase.config), numLayers: encoderCase.num_layers, finalNorm: encoderCase.final_norm });
      const srcMask = causal === 'mask' ? maskOf(encoderCase, 'mask') : undefined;
      await expectMatchesFixture(encoder, encoderCase, ['src'], (src) => encoder.forward(src, { srcMask, isCausal: causal === 'isCausal' }));
      encoder.dispose();
    });
  }
});

describe('TransformerEncoder', () => {
  it("names parameters layers.0.…, norm.*, and starts each layer from its own weights", async () => {
    const encoder = new TransformerEncoder({ ...small, numLayers: 2, finalNorm: true });
    const names = Object.keys(encoder.stateDict());
    expect(names.slice(0, 2)).toEqual(['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias']);
    expect(names).toContain('layers.1.norm2.bias');
    expect(names.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    expect(await encoder.layers[0]!.linear1.weight.data()).not.toEqual(await encoder.layers[1]!.linear1.weight.data());
    expect(new TransformerEncoder({ ...small, numLayers: 1 }).norm).toBeNull();
    expect(() => new TransformerEncoder({ ...small, numLayers: 0 })).toThrow(/TransformerEncoder.numLayers/);
    expect(() => new TransformerEncoder({ ...small, nHead: 3, numLayers: 1 })).toThrow(/TransformerEncoder.nHead/);
    encoder.dispose();
  });

  it('decodes token by token with a cache exactly as the full causal pass (a GPT-style stack)', async () => {
    const encoder = new TransformerEncoder({ ...small, numLayers: 2, normFirst: true, finalNorm: true, rng: new Rng(8) });
    const x = input(2, 4);
    const full = encoder.forward(x, { isCausal: true });
    const cache = encoder.createCache();
    const steps = [0, 1, 2, 3].map((t) => encoder.forward(tf.slice(x, [0, t, 0], [-1, 1, -1]), { isCausal: true, cache }));
    await expectClose(tf.concat(steps, 1), full, 1e-5, 1e-5);
    expect(() => encoder.forward(x, { cache: cache.slice(1) })).toThrow(ConfigError);
    cache.forEach((c) => c.dispose());
    encoder.dispose();
  });

  it('computes the same in blocks of queries', async () => {
    const [plain, blocked] = [undefined, 2].map((blockSize) => new TransformerEncoder({ ...small, numLayers: 2, blockSize, rng: new Rng(3) }));
    const x = input(2, 5);
    await expectClose(blocked!.forward(x, { isCausal: true }), plain!.forward(x, { isCausal: true }), 1e-5, 1e-5);
    plain!.dispose();
    blocked!.dispose();
  });

  it("returns every layer's per-head attention map as plain arrays", async () => {
    const encoder = new TransformerEncoder({ ...small, numLayers: 2 });
    const x = input(2, 3);
    const padding = tf.tensor([[false, false, true], [false, false, false]], [2, 3], 'bool');
    const maps = await encoder.attentionMaps(x, { srcKeyPaddingMask: padding });
    expect(maps.map(({ stack, layer, kind }) => [stack, layer, kind])).toEqual([
      ['encoder', 0, 'self'],
      ['encoder', 1, 'self'],
    ]);
    const w = maps[1]!.weights;
    expect([w.length, w[0]!.length, w[0]![0]!.length, w[0]![0]![0]!.length]).toEqual([2, 2, 3, 3]); // [B][H][Tq][Tk]
    for (const row of w.flat(2)) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(w[0]!.every((head) => head.every((row) => row[2] === 0))).toBe(true); // the padded key
    // The maps are the same weights a layer-by-layer run gives.
    const first = encoder.layers[0]!.forwardWithAttention(x, { srcKeyPaddingMask: padding });
    await expectClose(first.attention[0]!.weights, maps[0]!.weights as unknown as number[], 1e-6, 1e-6);
    encoder.dispose();
  });

  it('does not leak: forward, backward, attention maps, cached decoding', async () => {
    const encoder = new TransformerEncoder({ ...small, numLayers: 1, finalNorm: true });
    const x = input(1, 3);
    await expectNoLeak(() => encoder.forward(x, { isCausal: true }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(encoder.forward(x)) as tf.Scalar));
    await expectNoLeak(() => encoder.attentionMaps(x));
    const cache = encoder.createCache();
    await expectNoLeak(() => {
      cache.forEach((c) => c.reset());
      return tf.tidy(() => [0, 1, 2].map((t) => encoder.forward(tf.slice(x, [0, t, 0], [-1, 1, -1]), { isCausal: true, cache })));
    });
    cache.forEach((c) => c.dispose());
    encoder.dispose();
  });
});
