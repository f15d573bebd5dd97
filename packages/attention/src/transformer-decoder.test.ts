import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, ShapeError, tf } from '@lmkit/tensor';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import { TransformerDecoder } from './index.js';

forceDeviceKernels();
disposeAfterEach();

const small = { dModel: 8, nHead: 2, dimFeedforward: 12, dropout: 0 };
const input = (B: number, T: number, seed: number) => tf.tensor(testValues(B * T * 8, seed), [B, T, 8]);

describe('TransformerDecoder', () => {
  it('names parameters layers.0.…, norm.*', () => {
    const decoder = new TransformerDecoder({ ...small, numLayers: 2, finalNorm: true });
    const names = Object.keys(decoder.stateDict());
    expect(names.slice(4, 6)).toEqual(['layers.0.multihead_attn.in_proj_weight', 'layers.0.multihead_attn.in_proj_bias']);
    expect(names).toContain('layers.1.norm3.weight');
    expect(names.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    expect(() => new TransformerDecoder({ ...small, numLayers: 1.5 })).toThrow(/TransformerDecoder.numLayers/);
    decoder.dispose();
  });

  it('decodes token by token with a cache exactly as the full causal pass, memory padding included', async () => {
    const decoder = new TransformerDecoder({ ...small, numLayers: 2, rng: new Rng(6) });
    const [tgt, memory] = [input(2, 4, 1), input(2, 3, 2)];
    const memoryKeyPaddingMask = tf.tensor([[false, false, true], [false, false, false]], [2, 3], 'bool');
    const full = decoder.forward(tgt, memory, { tgtIsCausal: true, memoryKeyPaddingMask });
    const cache = decoder.createCache();
    const steps = [0, 1, 2, 3].map((t) => decoder.forward(tf.slice(tgt, [0, t, 0], [-1, 1, -1]), memory, { tgtIsCausal: true, memoryKeyPaddingMask, cache }));
    await expectClose(tf.concat(steps, 1), full, 1e-5, 1e-5);
    expect(cache.map((c) => [c.self.length, c.cross.length])).toEqual([
      [4, 3],
      [4, 3],
    ]);
    expect(() => decoder.forward(input(3, 1, 3), input(3, 3, 4), { cache })).toThrow(ShapeError);
    expect(() => decoder.forward(tgt, memory, { cache: [] })).toThrow(ConfigError);
    cache.forEach((c) => [c.self, c.cross].forEach((k) => k.dispose()));
    decoder.dispose();
  });

  it("returns every layer's self- and cross-attention maps", async () => {
    const decoder = new TransformerDecoder({ ...small, numLayers: 2 });
    const maps = await decoder.attentionMaps(input(1, 2, 1), input(1, 3, 2), { tgtIsCausal: true });
    expect(maps.map(({ stack, layer, kind }) => [stack, layer, kind])).toEqual([
      ['decoder', 0, 'self'],
      ['decoder', 0, 'cross'],
      ['decoder', 1, 'self'],
      ['decoder', 1, 'cross'],
    ]);
    expect(maps[0]!.weights[0]![1]![0]![1]).toBe(0); // causal: query 0 does not see key 1
    expect([maps[1]!.weights[0]![0]!.length, maps[1]!.weights[0]![0]![0]!.length]).toEqual([2, 3]); // (Tq, S)
    decoder.dispose();
  });

  it('does not leak: forward, backward, attention maps', async () => {
    const decoder = new TransformerDecoder({ ...small, numLayers: 1, finalNorm: true });
    const [tgt, memory] = [input(1, 2, 1), input(1, 3, 2)];
    await expectNoLeak(() => decoder.forward(tgt, memory, { tgtIsCausal: true }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(decoder.forward(tgt, memory)) as tf.Scalar));
    await expectNoLeak(() => decoder.attentionMaps(tgt, memory));
    decoder.dispose();
  });
});
