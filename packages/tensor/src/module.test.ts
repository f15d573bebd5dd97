import { describe, expect, it } from 'vitest';
import { tf, Module, Linear, LayerNorm, Sequential, Dropout, StateDictError, Rng } from '@lmkit/tensor';

class Block extends Module {
  readonly proj: Linear;
  readonly norm: LayerNorm;
  readonly scale: tf.Variable;
  readonly count: tf.Variable;
  constructor(rng: Rng) {
    super();
    this.proj = this.addModule('proj', new Linear({ inFeatures: 4, outFeatures: 3, rng }));
    this.norm = this.addModule('norm', new LayerNorm({ normalizedShape: 3 }));
    this.scale = this.addParameter('scale', tf.ones([3]));
    this.count = this.addBuffer('count', tf.zeros([1], 'int32'));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(this.norm.forward(this.proj.forward(x)), this.scale));
  }
}

class Model extends Module {
  readonly blocks: Sequential;
  constructor(rng = new Rng(0)) {
    super();
    this.blocks = this.addModule('blocks', new Sequential(new Linear({ inFeatures: 4, outFeatures: 4, rng }), new Dropout({ p: 0.1 })));
    this.addModule('head', new Block(rng));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
}

describe('Module', () => {
  it('names parameters with dotted paths in registration order, buffers apart', () => {
    const m = new Model();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'blocks.0.weight',
      'blocks.0.bias',
      'head.scale',
      'head.proj.weight',
      'head.proj.bias',
      'head.norm.weight',
      'head.norm.bias',
    ]);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['head.count']);
    expect(Object.keys(m.stateDict())).toEqual([
      'blocks.0.weight',
      'blocks.0.bias',
      'head.scale',
      'head.count',
      'head.proj.weight',
      'head.proj.bias',
      'head.norm.weight',
      'head.norm.bias',
    ]);
    expect(m.numParameters()).toBe(4 * 4 + 4 + 3 + 4 * 3 + 3 + 3 + 3);
    expect(m.parameters().every((p) => p.trainable)).toBe(true);
    expect((m.stateDict()['head.count'] as tf.Variable).trainable).toBe(false);
    m.dispose();
  });

  it('train() and eval() reach every submodule', () => {
    const m = new Model();
    expect(m.namedModules().every(([, s]) => s.training)).toBe(true);
    m.eval();
    expect(m.namedModules().every(([, s]) => !s.training)).toBe(true);
    m.train();
    expect(m.namedModules().every(([, s]) => s.training)).toBe(true);
    m.dispose();
  });

  it('loadStateDict copies values, and the copy is independent of the source', async () => {
    const a = new Model(new Rng(1));
    const b = new Model(new Rng(2));
    b.loadStateDict(a.stateDict());
    for (const [name, t] of Object.entries(a.stateDict())) {
      expect(await b.stateDict()[name]!.data(), name).toEqual(await t.data());
    }
    a.dispose();
    expect(await b.stateDict()['head.proj.weight']!.data()).toHaveLength(12);
    b.dispose();
  });

  it('strict loading lists missing, unexpected and misshapen names and writes nothing', async () => {
    const m = new Model();
    const before = await m.stateDict()['blocks.0.weight']!.data();
    const dict = { ...m.stateDict() };
    delete dict['head.scale'];
    const extra = tf.zeros([2]);
    const wrong = tf.zeros([4, 3]);
    const wrongDtype = tf.zeros([1]);
    dict['head.extra'] = extra;
    dict['blocks.0.weight'] = tf.ones([4, 4]);
    dict['head.proj.weight'] = wrong;
    dict['head.count'] = wrongDtype;
    let error: unknown;
    try {
      m.loadStateDict(dict);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDictError);
    const e = error as StateDictError;
    expect(e.missing).toEqual(['head.scale']);
    expect(e.unexpected).toEqual(['head.extra']);
    expect(e.mismatched).toEqual(['head.count: expected dtype int32, got float32', 'head.proj.weight: expected shape [3, 4], got [4, 3]']);
    expect(e.message).toMatch(/missing keys: head.scale/);
    expect(e.message).toMatch(/unexpected keys: head.extra/);
    expect(e.message).toMatch(/head.count: expected dtype int32, got float32/);
    // Nothing was written, not even the valid entries.
    expect(await m.stateDict()['blocks.0.weight']!.data()).toEqual(before);
    tf.dispose([extra, wrong, wrongDtype, dict['blocks.0.weight']!]);
    m.dispose();
  });

  it('non-strict loading allows missing and unexpected names but not wrong shapes', () => {
    const m = new Linear({ inFeatures: 2, outFeatures: 2 });
    const w = tf.ones([2, 2]);
    const other = tf.ones([1]);
    expect(m.loadStateDict({ weight: w, other }, { strict: false })).toEqual({ missing: ['bias'], unexpected: ['other'] });
    const bad = tf.ones([2, 3]);
    expect(() => m.loadStateDict({ weight: bad }, { strict: false })).toThrow(/weight: expected shape \[2, 2\], got \[2, 3\]/);
    tf.dispose([w, other, bad]);
    m.dispose();
  });

  it('dispose frees every parameter and buffer', () => {
    const before = tf.memory().numTensors;
    const m = new Model();
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => m.loadStateDict({})).toThrow(/was disposed/);
  });
});
