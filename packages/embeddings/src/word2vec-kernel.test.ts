import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND, wasmSourceHash } from '@lmkit/testing';
import { Word2VecKernel, type KernelConfig } from './word2vec-kernel.js';

/** The kernel is WebAssembly of its own, on no tensor backend: one backend is enough. */
const pureJs = describe.skipIf(BACKEND !== 'cpu');

const C_DIR = new URL('../wasm/', import.meta.url);
const GENERATED_DIR = new URL('./wasm/', import.meta.url);

pureJs('word2vec WebAssembly modules', () => {
  // A module's hash covers its C file and what that includes (word2vec-shared.c: word2vec.c too).
  it('each committed module was built from its C source as it is now (else: node scripts/build-wasm.mjs embeddings)', () => {
    const sources = readdirSync(C_DIR).filter((f) => f.endsWith('.c')).sort();
    const generated = readdirSync(GENERATED_DIR).filter((f) => f.endsWith('.wasm.ts')).sort();
    expect(generated).toEqual(sources.map((f) => f.replace(/\.c$/, '.wasm.ts')));
    for (const file of sources) {
      const sha = wasmSourceHash(new URL(file, C_DIR));
      const generated = readFileSync(new URL(file.replace(/\.c$/, '.wasm.ts'), GENERATED_DIR), 'utf8');
      expect(/SOURCE_SHA256 = '([0-9a-f]{64})'/.exec(generated)?.[1], file).toBe(sha);
    }
  });

  /** Two words, V = 2, D = 8, no subsampling; the alias table sends noise column 0 to word 1 and column 1 to word 0. */
  const config = (skipGram: boolean, shared: boolean): KernelConfig => ({
    syn0: Float32Array.from({ length: 16 }, (_, i) => ((i * 7) % 11) / 110 - 0.05),
    dim: 8,
    skipGram,
    cbowMean: true,
    window: 2,
    negative: 3,
    keep: Float32Array.of(1, 1),
    aliasProb: Float32Array.of(0, 0),
    aliasOf: Int32Array.of(1, 0),
    seeds: [7],
    batchCapacity: 8,
    maxSentence: 8,
    shared,
  });

  it.each([true, false])('trains a batch the same way from the plain and the shared-memory build (skip-gram: %s)', async (skipGram) => {
    const ids = Int32Array.of(0, 1, 0, 1);
    const ends = Int32Array.of(2, 4);
    const plain = await Word2VecKernel.create(config(skipGram, false));
    const shared = await Word2VecKernel.create(config(skipGram, true));
    expect(shared.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const before = plain.vectors();
    const a = plain.trainBatch(ids, ends, 0.025);
    const b = shared.trainBatch(ids, ends, 0.025);
    expect(a).toEqual(b);
    expect(shared.vectors()).toEqual(plain.vectors());
    expect(plain.vectors()).not.toEqual(before);
    expect(a.effectiveWords).toBe(4);
    // Skip-gram: every word of a two-word sentence predicts the other one; CBOW: one window per word.
    expect(a.examples).toBe(4);
    // At these small vectors each example's positive prediction alone costs about −log σ(0) = log 2.
    expect(a.loss).toBeGreaterThan(4 * 0.6);
  });

  it('rejects a batch larger than its slot', async () => {
    const kernel = await Word2VecKernel.create(config(true, false));
    expect(() => kernel.trainBatch(new Int32Array(9), Int32Array.of(9), 0.025)).toThrow(/exceeds the slot's 8/);
  });
});
