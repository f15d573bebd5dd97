import { describe, expect, it } from 'vitest';
import { tf, Sequential, Linear, LayerNorm, Rng } from '@lmkit/tensor';
import { expectClose, expectNoLeak } from '@lmkit/testing';

describe('Sequential', () => {
  it('applies layers in order, names children 0, 1, … as PyTorch', async () => {
    const l1 = new Linear({ inFeatures: 3, outFeatures: 4, rng: new Rng(1) });
    const norm = new LayerNorm({ normalizedShape: 4 });
    const seq = new Sequential(l1, norm);
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    const x = tf.tensor([[1, 2, 3], [-1, 0, 2]]);
    const manual = norm.forward(l1.forward(x));
    await expectClose(seq.forward(x), manual, 1e-6);
    await expectNoLeak(() => seq.forward(x));
    tf.dispose([x, manual]);
    seq.dispose();
  });

  it('an empty Sequential returns a new handle to its input', async () => {
    const x = tf.tensor([1, 2]);
    const y = new Sequential().forward(x);
    expect(y).not.toBe(x);
    expect(Array.from(await y.data())).toEqual([1, 2]);
    y.dispose();
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });
});
