import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, ShapeError, tf } from '@lmkit/tensor';
import { disposeAfterEach, expectClose, forceDeviceKernels, testValues } from '@lmkit/testing';
import { KVCache, MultiHeadAttention } from './index.js';

forceDeviceKernels();
disposeAfterEach();

const [B, T, E] = [2, 5, 8];
const input = () => tf.tensor(testValues(B * T * E, 1), [B, T, E]); // (B, T, E)
const step = (x: tf.Tensor, t: number, n = 1) => tf.slice(x, [0, t, 0], [-1, n, -1]); // (B, n, E)

describe('KVCache with MultiHeadAttention', () => {
  it('token by token equals the full causal pass, each step attending over T keys only', async () => {
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: 2, rng: new Rng(2) });
    const x = input();
    const full = mha.forward(x, x, x, { isCausal: true }).output; // (B, T, E)
    const cache = new KVCache();
    const outputs: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = step(x, t);
      const { output, weights } = mha.forward(xt, xt, xt, { isCausal: true, cache, needWeights: true });
      expect(weights!.shape).toEqual([B, 1, t + 1]); // one row of t + 1 scores: O(T) per step
      expect(cache.length).toBe(t + 1);
      outputs.push(output);
    }
    await expectClose(tf.concat(outputs, 1), full, 1e-5, 1e-5);
    cache.dispose();
    mha.dispose();
  });

  it('a prefix at once, then single tokens, with a key padding mask over every cached step', async () => {
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: 4, rng: new Rng(3) });
    const x = input();
    const padding = tf.tensor([[false, true, false, false, false], [false, false, false, false, false]], [B, T], 'bool');
    const full = mha.forward(x, x, x, { isCausal: true, keyPaddingMask: padding }).output;
    const cache = new KVCache();
    const prefix = step(x, 0, 3);
    const parts = [mha.forward(prefix, prefix, prefix, { isCausal: true, cache, keyPaddingMask: tf.slice(padding, [0, 0], [-1, 3]) }).output];
    for (let t = 3; t < T; t++) {
      const xt = step(x, t);
      parts.push(mha.forward(xt, xt, xt, { isCausal: true, cache, keyPaddingMask: tf.slice(padding, [0, 0], [-1, t + 1]) }).output);
    }
    await expectClose(tf.concat(parts, 1), full, 1e-5, 1e-5);
    cache.dispose();
    mha.dispose();
  });

  it("a 'cross' cache projects the memory once and reuses it", async () => {
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: 2, kdim: 3, vdim: 4, rng: new Rng(5) });
    const [q, memK, memV] = [input(), tf.tensor(testValues(B * 4 * 3, 2), [B, 4, 3]), tf.tensor(testValues(B * 4 * 4, 3), [B, 4, 4])];
    const full = mha.forward(q, memK, memV).output;
    const cache = new KVCache({ kind: 'cross' });
    const first = mha.forward(step(q, 0, 2), memK, memV, { cache }).output;
    expect(cache.isFilled).toBe(true);
    // Once filled, key and value are not read: zeros here change nothing.
    const rest = mha.forward(step(q, 2, 3), tf.zerosLike(memK), tf.zerosLike(memV), { cache }).output;
    await expectClose(tf.concat([first, rest], 1), full, 1e-5, 1e-5);
    cache.dispose();
    mha.dispose();
  });

  it('keeps its tensor count flat while decoding, and frees everything on dispose', () => {
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: 2 });
    const x = input();
    const cache = new KVCache();
    const counts: number[] = [];
    for (let t = 0; t < T; t++) {
      tf.tidy(() => {
        const xt = step(x, t);
        mha.forward(xt, xt, xt, { isCausal: true, cache });
      });
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(counts[0]! - 2);
    expect(cache.length).toBe(0);
    mha.dispose();
  });

  it('reorders its batch rows for beam search', async () => {
    const cache = new KVCache();
    const k = tf.tensor(testValues(3 * 2 * 2 * 4, 1), [3, 2, 2, 4]);
    const v = tf.tensor(testValues(3 * 2 * 2 * 4, 2), [3, 2, 2, 4]);
    cache.update(k, v);
    cache.reorder([2, 0, 0]);
    const [ck, cv] = cache.cached!;
    await expectClose(ck, tf.gather(k, [2, 0, 0]), 0, 0);
    await expectClose(cv, tf.gather(v, [2, 0, 0]), 0, 0);
    expect(() => cache.reorder([3])).toThrow(/KVCache.reorder\(rows\)/);
    expect(() => cache.reorder([])).toThrow(ConfigError);
    cache.reset();
    expect(cache.cached).toBeNull();
  });

  it('rejects a cache of another batch size or head count, and a bad kind', () => {
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: 2 });
    const cache = new KVCache();
    const x = input();
    mha.forward(x, x, x, { cache });
    const other = tf.zeros([3, 1, E]);
    expect(() => mha.forward(other, other, other, { cache })).toThrow(ShapeError);
    expect(() => mha.forward(other, other, other, { cache })).toThrow(/forward\(cache\): expected a cache of batch size 3 \(the input's\), got a cache of batch size 2/);
    const fourHeads = new MultiHeadAttention({ embedDim: E, numHeads: 4 });
    expect(() => fourHeads.forward(x, x, x, { cache })).toThrow(/expected a cache of 4 heads/);
    expect(() => new KVCache({ kind: 'both' as 'self' })).toThrow(/KVCache.kind/);
    cache.dispose();
    mha.dispose();
    fourHeads.dispose();
  });
});
