import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, tf } from '@lmkit/tensor';
import { BACKEND, expectClose } from '@lmkit/testing';
import interop from '../fixtures/gensim-written.json' with { type: 'json' };
import { FormatError, UnknownWordError } from './errors.js';
import { KeyedVectors } from './keyed-vectors.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const pureJs = describe.skipIf(BACKEND !== 'cpu');

type Scored = [string, number][];
const kv = new KeyedVectors(interop.words, Float32Array.from(interop.vectors.flat()), interop.dim);

function expectScored(got: readonly (readonly [string, number])[], want: Scored): void {
  expect(got.map(([w]) => w)).toEqual(want.map(([w]) => w));
  // gensim computes in float32; 3CosMul divides by values near 1e-6, so compare relatively.
  got.forEach(([, s], i) => expect(Math.abs(s - want[i]![1])).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]![1]))));
}

pureJs('KeyedVectors: word2vec formats, interop with gensim', () => {
  it('loads the text and binary files gensim wrote, words and float32 values exactly', () => {
    for (const [name, binary] of [['gensim-written.txt', false], ['gensim-written.bin', true]] as const) {
      const loaded = KeyedVectors.fromWord2VecFormat(readFileSync(fixture(name)), { binary });
      expect(loaded.words).toEqual(interop.words);
      expect(loaded.dim).toBe(6);
      expect(loaded.vectors).toEqual(kv.vectors);
    }
    expect(KeyedVectors.fromWord2VecFormat(readFileSync(fixture('gensim-written.txt'), 'utf8')).vector('東京')).toEqual(kv.vector('東京'));
  });

  it('writes the text and binary files gensim reads back exactly (lmkit-written.*, checked by generate.py)', () => {
    for (const [name, binary] of [['lmkit-written.txt', false], ['lmkit-written.bin', true]] as const) {
      const bytes = kv.toWord2VecFormat({ binary });
      if (process.env.LMKIT_UPDATE_FIXTURES === '1') writeFileSync(fixture(name), bytes);
      expect(Array.from(bytes)).toEqual(Array.from(readFileSync(fixture(name))));
      const back = KeyedVectors.fromWord2VecFormat(bytes, { binary });
      expect([back.words, back.vectors]).toEqual([kv.words, kv.vectors]);
    }
  });

  it('writes text values in the shortest form that reads back as the same float32', () => {
    const text = new TextDecoder().decode(new KeyedVectors(['a'], Float32Array.from([0.1, -2.5, 1e-7, 3]), 4).toWord2VecFormat());
    expect(text).toBe('1 4\na 0.1 -2.5 1e-7 3\n');
  });

  it('reads word2vec.c binary files (a newline after each vector) too', () => {
    const enc = new TextEncoder();
    const bytes = new Uint8Array([...enc.encode('2 1\nx '), ...new Uint8Array(Float32Array.of(1.5).buffer), 10, ...enc.encode('y '), ...new Uint8Array(Float32Array.of(-2).buffer), 10]);
    const loaded = KeyedVectors.fromWord2VecFormat(bytes, { binary: true });
    expect([loaded.words, Array.from(loaded.vectors)]).toEqual([['x', 'y'], [1.5, -2]]);
  });

  it('rejects malformed files with a FormatError that says where', () => {
    const read = (text: string) => () => KeyedVectors.fromWord2VecFormat(text);
    expect(read('2 x\n')).toThrow(FormatError);
    expect(read('2 2\na 1 2\n')).toThrow(/the header promises 2 words, found 1/);
    expect(read('1 2\na 1\n')).toThrow(/line 2: expected a word and 2 values, got 1 values/);
    expect(read('1 2\na 1 z\n')).toThrow(/value "z" is not a number/);
    expect(() => KeyedVectors.fromWord2VecFormat(new TextEncoder().encode('1 2\na \x00\x00'), { binary: true })).toThrow(/the data ends in word 1/);
    expect(() => KeyedVectors.fromWord2VecFormat('1 1\na b', { binary: true })).toThrow(/must be bytes/);
  });
});

pureJs('KeyedVectors: queries agree with gensim', () => {
  const q = interop.queries;

  it('similarity', () => {
    for (const [a, b, s] of q.similarity as [string, string, number][]) expect(kv.similarity(a, b)).toBeCloseTo(s, 6);
  });

  it('mostSimilar, one word and several positive and negative', () => {
    for (const [w, want] of q.most_similar as [string, Scored][]) expectScored(kv.mostSimilar(w, [], 5), want);
    for (const [pos, neg, want] of q.most_similar_multi as [string[], string[], Scored][]) expectScored(kv.mostSimilar(pos, neg, 4), want);
  });

  it('analogy by 3CosAdd and 3CosMul', () => {
    for (const [a, b, c, want] of q.analogy_add as [string, string, string, Scored][]) expectScored(kv.analogy(a, b, c, { topn: 3 }), want);
    for (const [a, b, c, want] of q.analogy_mul as [string, string, string, Scored][]) expectScored(kv.analogy(a, b, c, { method: '3CosMul', topn: 3 }), want);
    expect(kv.analogy('man', 'king', 'woman')[0]![0]).toBe('queen');
  });

  it('doesntMatch and nearest', () => {
    for (const [words, odd] of q.doesnt_match as [string[], string][]) expect(kv.doesntMatch(words)).toBe(odd);
    for (const [vector, want] of q.similar_by_vector as [number[], Scored][]) expectScored(kv.nearest(vector, 4), want);
  });

  it('throws an UnknownWordError for a word it does not have, ConfigError for bad arguments', () => {
    expect(() => kv.similarity('king', 'kaiser')).toThrow(UnknownWordError);
    expect(() => kv.mostSimilar(['king', 'kaiser'])).toThrow(/word "kaiser" is not in the vocabulary/);
    expect(() => kv.doesntMatch(['king', 'nope'])).toThrow(UnknownWordError);
    expect(() => kv.mostSimilar('king', [], 0)).toThrow(/topn/);
    expect(() => kv.nearest([1, 2])).toThrow(ConfigError);
    expect(() => new KeyedVectors(['a', 'a'], new Float32Array(2), 1)).toThrow(/distinct words/);
  });
});

pureJs('KeyedVectors.project2d', () => {
  it('places words by their first two principal components', () => {
    // Points on a line along (1, 1, 0) with a small, uncorrelated spread along (0, 0, 1).
    const words = ['a', 'b', 'c', 'd'];
    const data = [-3, -3, 0.1, -1, -1, -0.1, 1, 1, -0.1, 3, 3, 0.1];
    const points = new KeyedVectors(words, Float32Array.from(data), 3).project2d();
    expect(points.map((p) => p.word)).toEqual(words);
    const xs = points.map((p) => Math.abs(p.x));
    [3, 1, 1, 3].forEach((v, i) => expect(xs[i]!).toBeCloseTo(v * Math.SQRT2, 5));
    points.forEach((p) => expect(Math.abs(p.y)).toBeCloseTo(0.1, 5));
    expect(() => kv.project2d(['king'])).toThrow(ConfigError);
  });
});

describe('KeyedVectors.toEmbedding', () => {
  it('makes an Embedding whose rows are the vectors', async () => {
    const emb = kv.toEmbedding({ paddingIdx: 0 });
    const ids = tf.tensor([[kv.indexOf('café'), 0]], undefined, 'int32');
    await expectClose(emb.forward(ids), [[Array.from(kv.vector('café')), Array.from(kv.vector('king'))]], 0);
    tf.dispose(ids);
    emb.dispose();
  });
});
