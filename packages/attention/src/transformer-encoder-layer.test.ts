import { describe, expect, it } from 'vitest';
import { ConfigError, tf } from '@lmkit/tensor';
import { disposeAfterEach, expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import cases from '../fixtures/encoder_layer.json' with { type: 'json' };
import { TransformerEncoderLayer, type Activation } from './index.js';
import { expectMatchesFixture, layerConfig, maskOf, type LayerCase } from './testing/fixtures.js';

forceDeviceKernels();
disposeAfterEach();

describe('TransformerEncoderLayer against torch.nn.TransformerEncoderLayer', () => {
  for (const c of cases as unknown as LayerCase[]) {
    it(`${c.name}: output and gradients`, async () => {
      const layer = new TransformerEncoderLayer(layerConfig(c.config));
      const srcMask = maskOf(c, 'src_mask');
      const srcKeyPaddingMask = maskOf(c, 'src_key_padding_mask');
      await expectMatchesFixture(layer, c, ['src'], (src) => layer.forward(src, { srcMask, srcKeyPaddingMask }));
      tf.dispose([srcMask, srcKeyPaddingMask].filter((m) => m !== undefined));
      layer.dispose();
    });
  }
});

describe('TransformerEncoderLayer', () => {
  it("defaults to PyTorch's (2048 wide, dropout 0.1, relu, post-LN) and names parameters as PyTorch", () => {
    const layer = new TransformerEncoderLayer({ dModel: 8, nHead: 2 });
    expect(layer.linear1.outFeatures).toBe(2048);
    expect(layer.dropout.p).toBe(0.1);
    expect([layer.activation, layer.normFirst]).toEqual(['relu', false]);
    expect(Object.keys(layer.stateDict())).toEqual([
      'self_attn.in_proj_weight',
      'self_attn.in_proj_bias',
      'self_attn.out_proj.weight',
      'self_attn.out_proj.bias',
      'linear1.weight',
      'linear1.bias',
      'linear2.weight',
      'linear2.bias',
      'norm1.weight',
      'norm1.bias',
      'norm2.weight',
      'norm2.bias',
    ]);
    layer.dispose();
  });

  it('rejects bad config with errors naming the field', () => {
    expect(() => new TransformerEncoderLayer({ dModel: 8, nHead: 3 })).toThrow(/TransformerEncoderLayer.nHead: expected a divisor of dModel \(8\), got 3/);
    expect(() => new TransformerEncoderLayer({ dModel: 8, nHead: 2, activation: 'tanh' as Activation })).toThrow(ConfigError);
    expect(() => new TransformerEncoderLayer({ dModel: 8, nHead: 2, dropout: 1 })).toThrow(/TransformerEncoderLayer.dropout/);
    expect(() => new TransformerEncoderLayer({ dModel: 8, nHead: 2, layerNormEps: -1 })).toThrow(/TransformerEncoderLayer.layerNormEps/);
    expect(() => new TransformerEncoderLayer({ dModel: 8, nHead: 2, dimFeedforward: 0 })).toThrow(/TransformerEncoderLayer.dimFeedforward/);
  });

  it('does not leak, forward, backward, with attention weights, and with dropout in training', async () => {
    const layer = new TransformerEncoderLayer({ dModel: 4, nHead: 2, dimFeedforward: 6, activation: 'gelu', normFirst: true });
    const src = tf.ones([1, 3, 4]);
    await expectNoLeak(() => layer.forward(src, { isCausal: true }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(layer.forward(src)) as tf.Scalar));
    await expectNoLeak(() => {
      const { output, attention } = layer.forwardWithAttention(src);
      return [output, ...attention.map((a) => a.weights)];
    });
    src.dispose();
    layer.dispose();
  });
});
