import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, tf } from '@lmkit/tensor';
import { disposeAfterEach, expectClose, expectNoLeak, forceDeviceKernels, testValues } from '@lmkit/testing';
import cases from '../fixtures/stacks.json' with { type: 'json' };
import { Transformer } from './index.js';
import { expectMatchesFixture, layerConfig, maskOf, type LayerCase } from './testing/fixtures.js';

forceDeviceKernels();
disposeAfterEach();

interface TransformerCase extends LayerCase {
  readonly kind: string;
  readonly config: LayerCase['config'] & { readonly num_encoder_layers: number; readonly num_decoder_layers: number };
}

const c = (cases as unknown as TransformerCase[]).find((x) => x.kind === 'transformer')!;
const small = { dModel: 8, nHead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 12, dropout: 0 };
const input = (B: number, T: number, seed: number) => tf.tensor(testValues(B * T * 8, seed), [B, T, 8]);

describe('Transformer against torch.nn.Transformer', () => {
  it(`${c.name}: output and gradients`, async () => {
    const { num_encoder_layers: numEncoderLayers, num_decoder_layers: numDecoderLayers } = c.config;
    const model = new Transformer({ ...layerConfig(c.config), numEncoderLayers, numDecoderLayers });
    const masks = {
      tgtMask: maskOf(c, 'tgt_mask'),
      srcKeyPaddingMask: maskOf(c, 'src_key_padding_mask'),
      memoryKeyPaddingMask: maskOf(c, 'memory_key_padding_mask'),
    };
    await expectMatchesFixture(model, c, ['src', 'tgt'], (src, tgt) => model.forward(src!, tgt!, masks));
    model.dispose();
  });
});

describe('Transformer', () => {
  it('initialises every weight matrix xavier-uniform, as PyTorch', async () => {
    const model = new Transformer({ ...small, rng: new Rng(2) });
    for (const [name, p] of model.namedParameters()) {
      if (p.rank < 2) continue;
      const bound = Math.sqrt(6 / (p.shape[0]! + p.shape[1]!));
      const values = Array.from(await p.data());
      expect(Math.max(...values.map(Math.abs)), name).toBeLessThanOrEqual(bound);
    }
    expect(Object.keys(model.stateDict()).filter((n) => n.endsWith('norm.weight'))).toEqual(['encoder.norm.weight', 'decoder.norm.weight']);
    model.dispose();
  });

  it('decode with a cache, one token at a time, equals the full forward pass', async () => {
    const model = new Transformer({ ...small, normFirst: true, rng: new Rng(3) });
    const [src, tgt] = [input(2, 3, 1), input(2, 4, 2)];
    const srcKeyPaddingMask = tf.tensor([[false, true, false], [false, false, false]], [2, 3], 'bool');
    const full = model.forward(src, tgt, { tgtIsCausal: true, srcKeyPaddingMask, memoryKeyPaddingMask: srcKeyPaddingMask });
    const memory = model.encode(src, { srcKeyPaddingMask });
    const cache = model.createCache();
    const steps = [0, 1, 2, 3].map((t) => model.decode(tf.slice(tgt, [0, t, 0], [-1, 1, -1]), memory, { tgtIsCausal: true, memoryKeyPaddingMask: srcKeyPaddingMask, cache }));
    await expectClose(tf.concat(steps, 1), full, 1e-5, 1e-5);
    cache.forEach((l) => [l.self, l.cross].forEach((k) => k.dispose()));
    model.dispose();
  });

  it('returns the attention maps of both stacks, encoder first', async () => {
    const model = new Transformer(small);
    const maps = await model.attentionMaps(input(1, 3, 1), input(1, 2, 2), { tgtIsCausal: true });
    expect(maps.map(({ stack, layer, kind }) => `${stack}.${layer}.${kind}`)).toEqual(['encoder.0.self', 'decoder.0.self', 'decoder.0.cross', 'decoder.1.self', 'decoder.1.cross']);
    model.dispose();
  });

  it('rejects src and tgt of different batch sizes', () => {
    const model = new Transformer(small);
    expect(() => model.forward(input(2, 3, 1), input(1, 3, 2))).toThrow(ShapeError);
    expect(() => new Transformer({ ...small, nHead: 3 })).toThrow(/Transformer.nHead/);
    expect(() => new Transformer({ ...small, numDecoderLayers: 0 })).toThrow(/Transformer.numDecoderLayers/);
    model.dispose();
  });

  it('does not leak: forward, backward, attention maps', async () => {
    const model = new Transformer({ ...small, numDecoderLayers: 1 });
    const [src, tgt] = [input(1, 3, 1), input(1, 2, 2)];
    await expectNoLeak(() => model.forward(src, tgt, { tgtIsCausal: true }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(model.forward(src, tgt)) as tf.Scalar));
    await expectNoLeak(() => model.attentionMaps(src, tgt));
    model.dispose();
  });
});
