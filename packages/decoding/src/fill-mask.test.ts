import { ConfigError, ShapeError, tf } from '@lmkit/tensor';
import { describe, expect, it } from 'vitest';
import { LogitsError } from './errors.js';
import { fillMask } from './fill-mask.js';
import { softmax } from './testing/rows.js';
import { TableMaskedLM } from './testing/toy-models.js';

describe('fillMask', () => {
  const V = 6;
  const MASK = 5;
  // Logit of token t at position i: a fixed pattern with a tie between tokens 1 and 3 at position 3.
  const score = (_ids: readonly number[], i: number, t: number) => (i === 3 ? [0, 2, 1, 2, -1, -9][t]! : ((i * 7 + t * 3) % 5) - t * 0.1);
  const model = new TableMaskedLM(score, V);

  it('returns the top-k tokens at every mask with their softmax probabilities, best first', async () => {
    const ids = [0, MASK, 2, MASK];
    const before = tf.memory().numTensors;
    const out = await fillMask(model, ids, MASK, 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(out.map((preds) => preds.map((p) => p.position))).toEqual([[1, 1, 1], [3, 3, 3]]);
    for (const preds of out) {
      const pos = preds[0]!.position;
      const probs = softmax(Array.from({ length: V }, (_, t) => Math.fround(score(ids, pos, t))));
      const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]! || a - b).slice(0, 3);
      expect(preds.map((p) => p.token)).toEqual(order);
      preds.forEach((p) => expect(p.score).toBeCloseTo(probs[p.token]!, 6));
    }
    // The tie at position 3 is broken by the lower id.
    expect(out[1]!.map((p) => p.token)).toEqual([1, 3, 2]);
    expect(out[1]![0]!.ids).toEqual([0, MASK, 2, 1]);
  });

  it('defaults to the top 5 and allows topk = V', async () => {
    expect((await fillMask(model, [MASK, 1], MASK))[0]!.length).toBe(5);
    const all = await fillMask(model, [MASK, 1], MASK, V);
    expect(all[0]!.reduce((s, p) => s + p.score, 0)).toBeCloseTo(1, 6);
  });

  it('rejects input without a mask, bad topk and logits of the wrong shape or with NaN', async () => {
    await expect(fillMask(model, [0, 1], MASK)).rejects.toThrow(/ids: expected at least one mask token \(5\)/);
    await expect(fillMask(model, [MASK], MASK, 0)).rejects.toThrow(ConfigError);
    await expect(fillMask(model, [MASK], MASK, V + 1)).rejects.toThrow(/topk: expected an integer in \[1, 6\]/);
    await expect(fillMask({ logits: () => tf.zeros([1, 4]) }, [MASK], MASK)).rejects.toThrow(ShapeError);
    const nan = new TableMaskedLM((_ids, i, t) => (t === 2 ? NaN : i), V);
    await expect(fillMask(nan, [1, MASK], MASK)).rejects.toThrow(LogitsError);
    await expect(fillMask(nan, [1, MASK], MASK)).rejects.toThrow('logits at position 1: NaN at token 2');
  });
});
