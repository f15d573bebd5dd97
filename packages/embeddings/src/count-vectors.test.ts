import { describe, expect, it } from 'vitest';
import { BACKEND } from '@lmkit/testing';
import fixture from '../fixtures/count.json' with { type: 'json' };
import { cooccurrenceMatrix, ppmi, rowVectors, svdVectors, termDocumentMatrix } from './count-vectors.js';
import { CorpusError } from './errors.js';
import { SparseMatrix } from './sparse-matrix.js';

/** Count vectors are plain JavaScript: one backend is enough. */
const pureJs = describe.skipIf(BACKEND !== 'cpu');

function expectMatrix(m: SparseMatrix, want: number[][], tol: number): void {
  expect([m.rows, m.cols]).toEqual([want.length, want[0]!.length]);
  const dense = m.toDense();
  want.flat().forEach((w, i) => expect(Math.abs(dense[i]! - w)).toBeLessThan(tol));
}

pureJs('termDocumentMatrix', () => {
  it('the seed example: CAT, DOG, DOPAMINE, REWARD over three documents', () => {
    const { vocabulary, matrix } = termDocumentMatrix(['CAT DOG', 'DOG REWARD', 'DOPAMINE REWARD']);
    const row = (w: string) => Array.from(matrix.row(vocabulary.id(w)));
    expect(row('CAT')).toEqual([1, 0, 0]);
    expect(row('DOG')).toEqual([1, 1, 0]);
    expect(row('DOPAMINE')).toEqual([0, 0, 1]);
    expect(row('REWARD')).toEqual([0, 1, 1]);
    expect(vocabulary.words).toEqual(['DOG', 'REWARD', 'CAT', 'DOPAMINE']);
  });

  it('as word vectors: CAT is closest to DOG, DOPAMINE to REWARD (rows and their SVD)', () => {
    const counts = termDocumentMatrix(['CAT DOG', 'DOG REWARD', 'DOPAMINE REWARD']);
    const rows = rowVectors(counts);
    expect(rows.similarity('CAT', 'DOG')).toBeCloseTo(Math.SQRT1_2, 6);
    expect(rows.similarity('CAT', 'DOPAMINE')).toBe(0);
    expect(rows.mostSimilar('CAT', [], 1)[0]![0]).toBe('DOG');
    expect(rows.mostSimilar('DOPAMINE', [], 1)[0]![0]).toBe('REWARD');
    const dense = svdVectors(counts, { dim: 2 });
    expect(dense.dim).toBe(2);
    expect(dense.mostSimilar('CAT', [], 1)[0]![0]).toBe('DOG');
    expect(dense.mostSimilar('DOPAMINE', [], 1)[0]![0]).toBe('REWARD');
  });

  it('counts repeats unless binary; takes tokens, a tokenizer, minCount', () => {
    const docs = ['a a b', 'b c'];
    const counted = termDocumentMatrix(docs);
    expect(counted.matrix.get(counted.vocabulary.id('a'), 0)).toBe(2);
    const binary = termDocumentMatrix(docs, { binary: true });
    expect(binary.matrix.get(binary.vocabulary.id('a'), 0)).toBe(1);
    const tokens = termDocumentMatrix([['x', 'y'], ['y']], { minCount: 2 });
    expect(tokens.vocabulary.words).toEqual(['y']);
    const lower = termDocumentMatrix(['A b', 'a'], { tokenize: (t) => t.toLowerCase().split(' ') });
    expect(Array.from(lower.matrix.row(lower.vocabulary.id('a')))).toEqual([1, 1]);
  });

  it('rejects an empty corpus and a minCount that removes every word', () => {
    expect(() => termDocumentMatrix([])).toThrow(CorpusError);
    expect(() => termDocumentMatrix(['', ' '])).toThrow(/the corpus is empty/);
    expect(() => termDocumentMatrix(['a b a'], { minCount: 3 })).toThrow(/minCount 3 removes every word \(the most frequent occurs 2 times\)/);
  });
});

pureJs('cooccurrenceMatrix and ppmi against the fixture (numpy, from the definitions)', () => {
  const built = cooccurrenceMatrix(fixture.sentences, { window: fixture.window });

  it('orders the vocabulary by count, ties by first appearance', () => {
    expect(built.vocabulary.words).toEqual(fixture.words);
  });

  it('counts co-occurrences within the window, uniform and 1/d', () => {
    expectMatrix(built.matrix, fixture.uniform, 1e-12);
    expectMatrix(cooccurrenceMatrix(fixture.sentences, { window: 2, weighting: 'harmonic' }).matrix, fixture.harmonic, 1e-12);
  });

  it('PPMI with and without context smoothing', () => {
    expectMatrix(ppmi(built.matrix), fixture.ppmi, 1e-12);
    expectMatrix(ppmi(built.matrix, { alpha: 0.75 }), fixture.ppmi_075, 1e-12);
  });

  it('rejects bad options by name', () => {
    expect(() => cooccurrenceMatrix(['a b'], { window: 0 })).toThrow(/cooccurrenceMatrix.window/);
    expect(() => ppmi(built.matrix, { alpha: 0 })).toThrow(/ppmi.alpha/);
  });
});

pureJs('SparseMatrix', () => {
  const m = SparseMatrix.fromEntries(2, 3, new Map([[5, 4], [0, 1], [2, -2], [3, 0]])); // [[1, 0, -2], [0, 0, 4]]

  it('stores rows sorted, drops zeros and reads entries', () => {
    expect(Array.from(m.toDense())).toEqual([1, 0, -2, 0, 0, 4]);
    expect([m.nnz, m.get(0, 2), m.get(1, 1), m.get(1, 2)]).toEqual([3, -2, 0, 4]);
    expect([Array.from(m.rowSums()), Array.from(m.colSums())]).toEqual([[-1, 4], [1, 0, 2]]);
  });

  it('multiplies vectors from both sides', () => {
    expect(Array.from(m.multiply(Float64Array.from([1, 2, 3])))).toEqual([-5, 12]);
    expect(Array.from(m.multiplyTransposed(Float64Array.from([1, 2])))).toEqual([1, 0, 6]);
  });
});
