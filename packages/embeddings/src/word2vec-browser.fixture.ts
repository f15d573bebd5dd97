// Runs in headless Chromium (see word2vec.browser.test.ts): trains word2vec on the page's thread
// and on two Web Workers, and reports what each gave (or the error it threw).
import { Rng } from '@lmkit/tensor';
import { trainWord2Vec } from './word2vec.js';

const ANIMALS = ['cat', 'dog', 'horse', 'cow', 'sheep'];
const VEHICLES = ['car', 'bus', 'train', 'truck', 'tram'];

/** Sentences in which the animals share their contexts, and so do the vehicles. */
function corpus(n: number): string[][] {
  const rng = new Rng(0);
  const pick = (words: readonly string[]) => words[rng.int(words.length)]!;
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? ['a', pick(ANIMALS), 'sleeps', 'in', 'the', 'barn', 'after', 'eating', 'hay']
      : ['we', 'took', 'the', pick(VEHICLES), 'and', 'waited', 'at', 'the', 'stop'],
  );
}

async function train(threads: number) {
  try {
    const kv = await trainWord2Vec(corpus(1500), { vectorSize: 16, window: 3, minCount: 1, sample: 0, epochs: 5, seed: 3, threads });
    return { nearest: kv.mostSimilar('cat', [], 4).map(([w]) => w).sort() };
  } catch (err) {
    const e = err as { name?: string; field?: string; message?: string };
    return { error: { name: e.name, field: e.field, message: e.message } };
  }
}

const w = window as { __result?: unknown; __error?: string };
(async () => {
  w.__result = { crossOriginIsolated: globalThis.crossOriginIsolated, oneThread: await train(1), twoThreads: await train(2) };
})().catch((err: unknown) => {
  w.__error = String(err);
});
