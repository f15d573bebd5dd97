/**
 * The benchmark harness. A suite compares lmkit against a named peer on the same work in one run:
 * it checks that their outputs agree, then times both, and the harness writes the table as JSON,
 * Markdown and an SVG bar plot to results/<suite>.{json,md,svg}, with lmkit ÷ peer ratios.
 *
 * To add a suite, export a `Suite` from ./suites/<name>.ts and list it in ./suites/index.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { barPlot } from './plot.js';

/** A benchmark suite: `lmkit-bench <name>` runs it. */
export interface Suite {
  /** The command-line name, also the results' file name. */
  readonly name: string;
  /** One line: what is measured, against which peer. */
  readonly description: string;
  /** Checks outputs agree, then measures every case (throws when outputs disagree). */
  run(ctx: BenchContext): Promise<SuiteResult>;
}

/** What a suite's `run` gets from the harness. */
export interface BenchContext {
  /** Declares how many `time` calls follow, for the progress bar. */
  plan(timings: number): void;
  /** Times `fn`: untimed warm-up calls, then the median of timed samples; advances the progress bar. */
  time(label: string, fn: () => unknown, options?: TimeOptions): Promise<Timing>;
  /** Advances the progress bar for a timing taken elsewhere (e.g. in a child process). */
  step(label: string): void;
}

export interface TimeOptions {
  /** Untimed runs first (default 2). */
  readonly warmup?: number;
  /** Timed samples (default 7). */
  readonly runs?: number;
  /** A sample repeats `fn` until it lasts about this long, so that short calls time well (default 20). */
  readonly minSampleMs?: number;
}

/**
 * Wall-clock and CPU time per call of `fn`, per sample. CPU time (this process, all threads) is the fairer
 * measure of single-threaded work on a shared machine, where wall-clock time includes waiting for
 * a core; it misses work done elsewhere (a GPU), where only wall-clock time will do.
 */
export interface Timing {
  readonly medianMs: number;
  readonly cpuMedianMs: number;
  readonly samplesMs: readonly number[];
  readonly cpuSamplesMs: readonly number[];
}

/** One case, measured for the peer and for lmkit, as a throughput (higher is better). */
export interface CaseResult {
  readonly name: string;
  readonly peer: number;
  readonly lmkit: number;
  readonly peerTiming: Timing;
  readonly lmkitTiming: Timing;
}

export interface SuiteResult {
  /** The throughput's unit, e.g. 'GFLOP/s'. */
  readonly unit: string;
  /** What lmkit is compared with, e.g. 'tfjs-backend-wasm 4.22 BatchMatMul'. */
  readonly peer: string;
  /** What of lmkit is measured, e.g. 'the @lmkit/tensor seam's BatchMatMul'. */
  readonly lmkit: string;
  /** Facts about the run worth keeping with the numbers (backend, SIMD, …). */
  readonly notes: readonly string[];
  readonly cases: readonly CaseResult[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Throws unless every `got[i]` is within `atol + rtol·|want[i]|` of `want[i]`: run before timing, so
 * that a fast wrong answer is never reported.
 */
export function assertAgree(label: string, got: ArrayLike<number>, want: ArrayLike<number>, atol = 0, rtol = 0): void {
  if (got.length !== want.length) throw new Error(`${label}: outputs differ in length (${got.length} vs ${want.length})`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= atol + rtol * Math.abs(want[i]!))) {
      throw new Error(`${label}: outputs disagree at ${i}: ${got[i]} vs ${want[i]} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/** A one-line progress bar on stderr, redrawn in place on a terminal and one line per step otherwise. */
export class ProgressBar {
  private done = 0;
  private total = 0;

  constructor(private readonly title: string, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  plan(total: number): void {
    this.total = total;
  }

  step(label: string): void {
    this.done++;
    const width = 24;
    const filled = this.total > 0 ? Math.round((width * Math.min(this.done, this.total)) / this.total) : 0;
    const line = `${this.title} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total || '?'} ${label}`;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[K${line}`);
    else this.stream.write(`${line}\n`);
  }

  end(): void {
    if (this.stream.isTTY && this.done > 0) this.stream.write('\n');
  }
}

async function time(fn: () => unknown, { warmup = 2, runs = 7, minSampleMs = 20 }: TimeOptions = {}): Promise<Timing> {
  let callMs = Infinity;
  for (let i = 0; i < Math.max(warmup, 1); i++) {
    const t0 = performance.now();
    const result = fn();
    if (result instanceof Promise) await result;
    callMs = Math.min(callMs, performance.now() - t0);
  }
  const calls = Math.max(1, Math.ceil(minSampleMs / callMs));
  const samplesMs: number[] = [];
  const cpuSamplesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) {
      const result = fn(); // awaited only when a promise: an await costs a microtask per call
      if (result instanceof Promise) await result;
    }
    samplesMs.push((performance.now() - t0) / calls);
    const cpu = process.cpuUsage(cpu0);
    cpuSamplesMs.push((cpu.user + cpu.system) / 1000 / calls);
  }
  return { medianMs: median(samplesMs), cpuMedianMs: median(cpuSamplesMs), samplesMs, cpuSamplesMs };
}

/** The machine, for the record: timings here depend on what else runs. */
function environment(): string[] {
  const cpu = cpus();
  return [
    `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}`,
    `load average at the start ${loadavg().map((l) => l.toFixed(2)).join(', ')}`,
    `run at ${new Date().toISOString()}`,
  ];
}

/** The table as Markdown. */
export function markdown(suite: Suite, result: SuiteResult, env: readonly string[]): string {
  const lines = [
    `# ${suite.name}`,
    '',
    suite.description,
    '',
    ...[...result.notes, ...env].map((n) => `- ${n}`),
    '',
    `Throughput in ${result.unit} (higher is better), median of the timed runs; ratio = lmkit ÷ peer.`,
    `Peer: ${result.peer}. lmkit: ${result.lmkit}.`,
    '',
    `| case | peer ${result.unit} | lmkit ${result.unit} | ratio |`,
    '| --- | ---: | ---: | ---: |',
    ...result.cases.map((c) => `| ${c.name} | ${c.peer.toFixed(2)} | ${c.lmkit.toFixed(2)} | ${(c.lmkit / c.peer).toFixed(2)}× |`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Runs a suite with a progress bar and writes its results to `dir`. Returns false, after saying
 * why on stderr, when the suite failed (e.g. outputs disagreed).
 */
export async function runSuite(suite: Suite, dir: string): Promise<boolean> {
  const bar = new ProgressBar(suite.name);
  const env = environment();
  const ctx: BenchContext = {
    plan: (n) => bar.plan(n),
    time: async (label, fn, options) => {
      const timing = await time(fn, options);
      bar.step(label);
      return timing;
    },
    step: (label) => bar.step(label),
  };
  let result: SuiteResult;
  try {
    result = await suite.run(ctx);
  } catch (err) {
    bar.end();
    console.error(`✗ ${suite.name}: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
  bar.end();
  mkdirSync(dir, { recursive: true });
  const json = {
    suite: suite.name,
    description: suite.description,
    environment: env,
    ...result,
    cases: result.cases.map((c) => ({ ...c, ratio: c.lmkit / c.peer })),
  };
  writeFileSync(join(dir, `${suite.name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  const md = markdown(suite, result, env);
  writeFileSync(join(dir, `${suite.name}.md`), md);
  writeFileSync(join(dir, `${suite.name}.svg`), barPlot(`${suite.name}: ${result.unit}, higher is better`, result));
  console.log(md);
  console.log(`results: ${join(dir, suite.name)}.{json,md,svg}`);
  return true;
}
