import { describe, expect, it } from 'vitest';
import { tf, Dropout, Rng, ConfigError } from '@lmkit/tensor';
import { expectNoLeak } from '@lmkit/testing';

describe('Dropout', () => {
  it('zeroes about p of the elements in training and scales the rest by 1/(1−p)', async () => {
    const d = new Dropout({ p: 0.25, rng: new Rng(3) });
    const x = tf.ones([100, 100]);
    const y = await d.forward(x).data();
    const zeros = y.filter((v) => v === 0).length;
    expect(zeros / y.length).toBeGreaterThan(0.23);
    expect(zeros / y.length).toBeLessThan(0.27);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    x.dispose();
  });

  it('is the identity in eval mode and with p = 0', async () => {
    const x = tf.tensor([1, 2, 3]);
    expect(Array.from(await new Dropout({ p: 0.5 }).eval().forward(x).data())).toEqual([1, 2, 3]);
    expect(Array.from(await new Dropout({ p: 0 }).forward(x).data())).toEqual([1, 2, 3]);
    x.dispose();
  });

  it('the same seed gives the same mask; masks differ between calls', async () => {
    const x = tf.ones([64]);
    const a = new Dropout({ rng: new Rng(5) });
    const b = new Dropout({ rng: new Rng(5) });
    const a1 = await a.forward(x).data();
    expect(await b.forward(x).data()).toEqual(a1);
    expect(await a.forward(x).data()).not.toEqual(a1);
    x.dispose();
  });

  it('passes the gradient through kept elements only', async () => {
    const d = new Dropout({ p: 0.5, rng: new Rng(1) });
    const x = tf.ones([32]);
    const mask = await d.forward(x).data();
    const d2 = new Dropout({ p: 0.5, rng: new Rng(1) });
    const grad = await tf.grad((v: tf.Tensor) => tf.sum(d2.forward(v)))(x).data();
    expect(Array.from(grad)).toEqual(Array.from(mask));
    x.dispose();
  });

  it('rejects p outside [0, 1) and does not leak', async () => {
    expect(() => new Dropout({ p: 1 })).toThrow(ConfigError);
    expect(() => new Dropout({ p: -0.1 })).toThrow(/Dropout.p: expected a number in \[0, 1\)/);
    const d = new Dropout({ p: 0.3 });
    const x = tf.ones([3, 4]);
    await expectNoLeak(() => d.forward(x));
    x.dispose();
  });
});
