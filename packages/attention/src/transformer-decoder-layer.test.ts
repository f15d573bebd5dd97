import { describe, expect, it } from 'vitest';
import { tf } from '@lmkit/tensor';
import { disposeAfterEach, expectNoLeak, forceDeviceKernels } from '@lmkit/testing';
import cases from '../fixtures/decoder_layer.json' with { type: 'json' };
import { TransformerDecoderLayer } from './index.js';
import { expectMatchesFixture, layerConfig, maskOf, type LayerCase } from './testing/fixtures.js';

forceDeviceKernels();
disposeAfterEach();

describe('TransformerDecoderLayer against torch.nn.TransformerDecoderLayer', () => {
  for (const c of cases as unknown as LayerCase[]) {
    it(`${c.name}: output and gradients`, async () => {
      const layer = new TransformerDecoderLayer(layerConfig(c.config));
      const masks = {
        tgtMask: maskOf(c, 'tgt_mask'),
        memoryMask: maskOf(c, 'memory_mask'),
        tgtKeyPaddingMask: maskOf(c, 'tgt_key_padding_mask'),
        memoryKeyPaddingMask: maskOf(c, 'memory_key_padding_mask'),
      };
      await expectMatchesFixture(layer, c, ['tgt', 'memory'], (tgt, memory) => layer.forward(tgt!, memory!, masks));
      tf.dispose(Object.values(masks).filter((m) => m !== undefined));
      layer.dispose();
    });
  }
});

describe('TransformerDecoderLayer', () => {
  it('names parameters as PyTorch', () => {
    const layer = new TransformerDecoderLayer({ dModel: 4, nHead: 2, dimFeedforward: 6 });
    const names = Object.keys(layer.stateDict());
    expect(names.filter((n) => !n.startsWith('self_attn.') && !n.startsWith('multihead_attn.'))).toEqual([
      'linear1.weight',
      'linear1.bias',
      'linear2.weight',
      'linear2.bias',
      'norm1.weight',
      'norm1.bias',
      'norm2.weight',
      'norm2.bias',
      'norm3.weight',
      'norm3.bias',
    ]);
    expect(names.slice(0, 8)).toEqual(
      ['self_attn', 'multihead_attn'].flatMap((m) => ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias'].map((p) => `${m}.${p}`)),
    );
    layer.dispose();
  });

  it('does not leak, forward, backward and with attention weights', async () => {
    const layer = new TransformerDecoderLayer({ dModel: 4, nHead: 2, dimFeedforward: 6 });
    const tgt = tf.ones([1, 3, 4]);
    const memory = tf.ones([1, 2, 4]);
    await expectNoLeak(() => layer.forward(tgt, memory, { tgtIsCausal: true }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(layer.forward(tgt, memory)) as tf.Scalar));
    await expectNoLeak(() => {
      const { output, attention } = layer.forwardWithAttention(tgt, memory);
      return [output, ...attention.map((a) => a.weights)];
    });
    tf.dispose([tgt, memory]);
    layer.dispose();
  });
});
