import { describe, expect, it } from 'vitest';
import { tf, ConfigError, ShapeError } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak, testValues } from '@lmkit/testing';
import { LSHSelfAttention, Replay, type LSHSelfAttentionConfig } from '@lmkit/reformer';

const GPU = BACKEND === 'webgpu';

/** An LSH module and its full-attention twin (same seed, so the same weights). */
function twins(config: LSHSelfAttentionConfig): [LSHSelfAttention, LSHSelfAttention] {
  return [new LSHSelfAttention(config), new LSHSelfAttention({ ...config, fullAttentionBelow: 1 << 20 })];
}

function input(B: number, T: number, E: number, seed = 0): tf.Tensor {
  return tf.tensor(testValues(B * T * E, seed), [B, T, E]);
}

describe('LSHSelfAttention', () => {
  const cases: Array<{ name: string; T: number; chunkLength: number; nHashes: number; causal: boolean; padded: boolean; before?: number; after?: number }> = [
    { name: 'one chunk, 1 hash', T: 6, chunkLength: 6, nHashes: 1, causal: false, padded: false },
    { name: 'one chunk, 3 hashes, causal', T: 6, chunkLength: 6, nHashes: 3, causal: true, padded: false },
    { name: 'chunk longer than T (padded to it), 2 hashes, key padding', T: 5, chunkLength: 8, nHashes: 2, causal: false, padded: true },
    { name: 'no neighbours, 4 hashes, causal + key padding', T: 6, chunkLength: 6, nHashes: 4, causal: true, padded: true, before: 0 },
    { name: 'chunks after too, 2 hashes', T: 6, chunkLength: 6, nHashes: 2, causal: false, padded: false, before: 1, after: 1 },
  ];
  for (const c of cases) {
    it(`with chunkLength ≥ T equals full shared-QK attention: ${c.name}`, async () => {
      const config = { embedDim: 4, numHeads: 2, chunkLength: c.chunkLength, nHashes: c.nHashes, causal: c.causal, nChunksBefore: c.before ?? 1, nChunksAfter: c.after ?? 0, nBuckets: 4, seed: 3 };
      const [lsh, full] = twins(config);
      const x = input(2, c.T, 4);
      const keyPaddingMask = c.padded ? tf.tensor([[0, 0, 0, 1, 1, 0].slice(0, c.T), [0, 0, 0, 0, 0, 1].slice(0, c.T)], [2, c.T], 'bool') : undefined;
      const a = lsh.forward(x, { keyPaddingMask });
      const b = full.forward(x, { keyPaddingMask });
      await expectClose(a.output, b.output, 1e-5, 1e-5);
      tf.dispose([x, a.output, b.output, keyPaddingMask]);
      lsh.dispose();
      full.dispose();
    });
  }

  // 4 hash settings × 3 seeds × 64 tokens take minutes on the software GPU; the ops are those of
  // the exactness tests above, which run there.
  it.skipIf(GPU)('approaches full attention as nHashes grows on clustered inputs', async () => {
    // Tokens lie near 8 random directions; qk = 6·x, so attention concentrates within a cluster.
    const [B, T, E, clusters] = [1, 64, 8, 8];
    const centres = testValues(clusters * E, 11);
    const noise = testValues(B * T * E, 12);
    const values = Array.from({ length: B * T * E }, (_, i) => centres[(Math.floor(i / E) % clusters) * E + (i % E)]! + 0.15 * noise[i]!);
    const x = tf.tensor(values, [B, T, E]);
    const eye = tf.mul(tf.eye(E), 6);
    const errors: number[] = [];
    for (const nHashes of [1, 2, 4, 8]) {
      let total = 0;
      for (const seed of [1, 2, 3]) {
        const [lsh, full] = twins({ embedDim: E, numHeads: 1, chunkLength: 8, nHashes, nBuckets: 8, seed });
        for (const m of [lsh, full]) m.loadStateDict({ 'qk.weight': eye, 'v.weight': tf.eye(E), 'out.weight': tf.eye(E) });
        const a = lsh.forward(x).output;
        const b = full.forward(x).output;
        total += (await tf.mean(tf.abs(tf.sub(a, b))).data())[0]!;
        tf.dispose([a, b]);
        lsh.dispose();
        full.dispose();
      }
      errors.push(total / 3);
    }
    for (let i = 1; i < errors.length; i++) expect(errors[i]!).toBeLessThan(errors[i - 1]!);
    expect(errors[3]!).toBeLessThan(errors[0]! / 4);
    tf.dispose([x, eye]);
  });

  it('gradients match finite differences with the buckets held fixed', async () => {
    const [B, T, E] = GPU ? [1, 6, 4] : [2, 8, 4];
    const attn = new LSHSelfAttention({ embedDim: E, numHeads: 2, chunkLength: 2, nHashes: 2, nBuckets: 4, causal: true, seed: 5, bias: true });
    const replay = new Replay();
    const x = input(B, T, E, 4);
    const w = input(B, T, E, 9);
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(attn.forward(input, { replay }).output, w)) as tf.Scalar;
    tf.dispose(loss(x)); // records the buckets
    const analytic = await tf.grad(loss)(x).data();
    const { grads } = tf.variableGrads(() => loss(x));
    const xs = Array.from(await x.data());
    const h = 1e-2;
    const probe = GPU ? [0, 7, 13, 22] : [0, 5, 17, 30, 41, 63];
    for (const i of probe) {
      const at = (d: number) => tf.tidy(() => loss(tf.tensor(xs.map((v, j) => (j === i ? v + d : v)), [B, T, E])));
      const numeric = ((await at(h).data())[0]! - (await at(-h).data())[0]!) / (2 * h);
      expect(Math.abs(analytic[i]! - numeric)).toBeLessThan(2e-3 + 1e-2 * Math.abs(numeric));
    }
    // One weight of each projection, by the same differences.
    for (const [name, p] of attn.namedParameters().filter(([n]) => n.endsWith('weight'))) {
      const g = (await grads[p.name]!.data())[3]!;
      const saved = Array.from(await p.data());
      const at = async (d: number) => {
        p.assign(tf.tensor(saved.map((v, j) => (j === 3 ? v + d : v)), p.shape));
        const l = loss(x);
        const value = (await l.data())[0]!;
        l.dispose();
        return value;
      };
      const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
      p.assign(tf.tensor(saved, p.shape));
      expect(Math.abs(g - numeric), name).toBeLessThan(2e-3 + 1e-2 * Math.abs(numeric));
    }
    tf.dispose([x, w, ...Object.values(grads)]);
    replay.dispose();
    attn.dispose();
  });

  it('returns buckets [B, H, nHashes, T]; padding goes to the extra bucket; a seed repeats them', async () => {
    const make = () => new LSHSelfAttention({ embedDim: 4, numHeads: 2, chunkLength: 2, nHashes: 3, nBuckets: [2, 4], seed: 9 });
    const [a, b] = [make(), make()];
    const x = input(1, 5, 4);
    const keyPaddingMask = tf.tensor([[0, 0, 0, 0, 1]], [1, 5], 'int32');
    const ra = a.forward(x, { returnBuckets: true, keyPaddingMask });
    const rb = b.forward(x, { returnBuckets: true, keyPaddingMask });
    expect(ra.buckets!.shape).toEqual([1, 2, 3, 5]);
    expect(ra.buckets!.dtype).toBe('int32');
    const ids = Array.from(await ra.buckets!.data());
    expect(ids).toEqual(Array.from(await rb.buckets!.data()));
    ids.forEach((id, i) => expect(id).toBe(i % 5 === 4 ? 8 : Math.min(id, 7)));
    tf.dispose([x, keyPaddingMask, ra.output, ra.buckets, rb.output, rb.buckets]);
    a.dispose();
    b.dispose();
  });

  it('pads T to whole chunks and cuts the output back', async () => {
    const attn = new LSHSelfAttention({ embedDim: 4, numHeads: 1, chunkLength: 4, nHashes: 2, seed: 1 });
    const x = input(1, 7, 4);
    const { output } = attn.forward(x);
    expect(output.shape).toEqual([1, 7, 4]);
    expect(Array.from(await output.data()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, output]);
    attn.dispose();
  });

  it('has state dict names qk.weight, v.weight, out.weight (+ biases when enabled)', () => {
    const a = new LSHSelfAttention({ embedDim: 4, numHeads: 2 });
    const b = new LSHSelfAttention({ embedDim: 4, numHeads: 2, bias: true });
    expect(Object.keys(a.stateDict())).toEqual(['qk.weight', 'v.weight', 'out.weight']);
    expect(Object.keys(b.stateDict())).toEqual(['qk.weight', 'qk.bias', 'v.weight', 'v.bias', 'out.weight', 'out.bias']);
    a.dispose();
    b.dispose();
  });

  it('rejects bad configs and inputs with errors naming the field', () => {
    expect(() => new LSHSelfAttention({ embedDim: 4, numHeads: 2, nBuckets: 3 })).toThrow(ConfigError);
    expect(() => new LSHSelfAttention({ embedDim: 4, numHeads: 2, nBuckets: [2, 3] })).toThrow(/nBuckets/);
    expect(() => new LSHSelfAttention({ embedDim: 4, numHeads: 2, chunkLength: 0 })).toThrow(/chunkLength/);
    expect(() => new LSHSelfAttention({ embedDim: 4, numHeads: 3 })).toThrow(/numHeads/);
    expect(() => new LSHSelfAttention({ embedDim: 4, numHeads: 2, dropout: 1 })).toThrow(/dropout/);
    const attn = new LSHSelfAttention({ embedDim: 4, numHeads: 2, chunkLength: 2 });
    const x = input(2, 4, 4);
    const badMask = tf.zeros([2, 3], 'bool');
    expect(() => attn.forward(x, { keyPaddingMask: badMask })).toThrow(ShapeError);
    expect(() => attn.forward(x, { keyPaddingMask: badMask })).toThrow(/keyPaddingMask/);
    const wrongWidth = input(2, 4, 3);
    expect(() => attn.forward(wrongWidth)).toThrow(/forward\(x\)/);
    tf.dispose([x, badMask, wrongWidth]);
    attn.dispose();
  });

  it('does not leak (LSH and full paths, with dropout, buckets and a replay)', async () => {
    const attn = new LSHSelfAttention({ embedDim: 4, numHeads: 2, chunkLength: 2, nHashes: 2, dropout: 0.1, causal: true });
    const full = new LSHSelfAttention({ embedDim: 4, numHeads: 2, dropout: 0.1, fullAttentionBelow: 100 });
    const x = input(1, 5, 4);
    const keyPaddingMask = tf.tensor([[0, 0, 1, 0, 0]], [1, 5], 'bool');
    const replay = new Replay();
    await expectNoLeak(() => attn.forward(x, { keyPaddingMask, returnBuckets: true }));
    await expectNoLeak(() => full.forward(x, { keyPaddingMask }));
    await expectNoLeak(() => tf.variableGrads(() => tf.sum(attn.forward(x, { replay }).output) as tf.Scalar));
    tf.dispose([x, keyPaddingMask]);
    replay.dispose();
    attn.dispose();
    full.dispose();
  });
});
