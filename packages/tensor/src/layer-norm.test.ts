import { describe, expect, it } from 'vitest';
import { tf, LayerNorm, ShapeError } from '@lmkit/tensor';
import { expectClose, expectNoLeak, fromNested, type Nested } from '@lmkit/testing';
import cases from '../fixtures/layer_norm.json' with { type: 'json' };

interface LayerNormCase {
  name: string;
  normalized_shape: number[];
  eps: number;
  affine: boolean;
  bias: boolean;
  x: Nested;
  gy: Nested;
  y: Nested;
  dx: Nested;
  weight?: Nested;
  dweight?: Nested;
  bias_value?: Nested;
  dbias?: Nested;
}

describe('LayerNorm against torch.nn.LayerNorm', () => {
  for (const c of cases as LayerNormCase[]) {
    it(`${c.name}: output and gradients`, async () => {
      const ln = new LayerNorm({ normalizedShape: c.normalized_shape, eps: c.eps, elementwiseAffine: c.affine, bias: c.bias });
      const dict: Record<string, tf.Tensor> = {};
      if (c.weight !== undefined) dict.weight = fromNested(c.weight);
      if (c.bias_value !== undefined) dict.bias = fromNested(c.bias_value);
      ln.loadStateDict(dict);
      tf.dispose(Object.values(dict));
      const x = fromNested(c.x);
      const gy = fromNested(c.gy);
      const loss = (input: tf.Tensor) => tf.sum(tf.mul(ln.forward(input), gy)) as tf.Scalar;
      const y = ln.forward(x);
      await expectClose(y, c.y, 1e-5, 1e-4);
      const dx = tf.grad(loss)(x);
      await expectClose(dx, c.dx, 1e-5, 1e-4);
      const tensors = [x, gy, y, dx];
      if (ln.weight !== null) {
        const { grads, value } = tf.variableGrads(() => loss(x));
        await expectClose(grads[ln.weight.name]!, c.dweight!, 1e-5, 1e-4);
        if (ln.bias !== null) await expectClose(grads[ln.bias.name]!, c.dbias!, 1e-5, 1e-4);
        tensors.push(value, ...Object.values(grads));
      }
      tf.dispose(tensors);
      ln.dispose();
    });
  }
});

describe('LayerNorm', () => {
  it('names its parameters as PyTorch and checks trailing dimensions', () => {
    const ln = new LayerNorm({ normalizedShape: 4 });
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    const x = tf.zeros([2, 3]);
    expect(() => ln.forward(x)).toThrow(ShapeError);
    expect(() => ln.forward(x)).toThrow(/trailing dimensions \[4\], got shape \[2, 3\]/);
    expect(() => new LayerNorm({ normalizedShape: [] })).toThrow(/LayerNorm.normalizedShape/);
    expect(() => new LayerNorm({ normalizedShape: 4, eps: -1 })).toThrow(/LayerNorm.eps/);
    x.dispose();
    ln.dispose();
  });

  it('does not leak', async () => {
    const ln = new LayerNorm({ normalizedShape: 3 });
    const x = tf.tensor([[1, 2, 4], [0, -1, 5]]);
    await expectNoLeak(() => ln.forward(x));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(ln.forward(x)) as tf.Scalar));
    x.dispose();
    ln.dispose();
  });
});
