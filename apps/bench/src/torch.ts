/**
 * PyTorch as a peer: a suite's Python script run by Debian's /usr/bin/python3 with a JSON config as
 * its argument, printing one JSON object. The prelude below runs first: it reads the config into
 * `cfg`, imports `torch` and `nn` (printing `{"missing": "<why>"}` when torch does not import), sets
 * `cfg['threads']` threads and seed 0, and defines `bench(fn, runs)`, whose result is a TorchTiming.
 */
import { spawnSync } from 'node:child_process';
import type { Timing } from './harness.js';

const PRELUDE = String.raw`
import json, math, sys, time
cfg = json.loads(sys.argv[1])
try:
    import torch, torch.nn as nn
except ImportError as e:
    print(json.dumps({'missing': str(e)})); sys.exit(0)
torch.set_num_threads(cfg['threads']); torch.manual_seed(0)

def bench(fn, runs):
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(1e3 * (time.perf_counter() - w)); cpu.append(1e3 * (time.process_time() - c))
    return {'ms': sorted(wall)[len(wall) // 2], 'cpu_ms': sorted(cpu)[len(cpu) // 2]}
`;

/** A median wall-clock and CPU time, as `bench` reports them. */
export interface TorchTiming {
  readonly ms: number;
  readonly cpu_ms: number;
}

/** The script's result, or why there is none (never throws: a missing PyTorch is a note, not a failure). */
export function runTorch<T extends object>(script: string, config: object, timeoutMs: number): T | string {
  const r = spawnSync('/usr/bin/python3', ['-c', PRELUDE + script, JSON.stringify(config)], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 20 });
  if (r.error !== undefined) return `PyTorch skipped: /usr/bin/python3 did not run (${r.error.message})`;
  if (r.status !== 0) return `PyTorch skipped: the script exited with ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').pop()}`;
  const parsed = JSON.parse(r.stdout) as T | { missing: string };
  return 'missing' in parsed ? `PyTorch skipped: /usr/bin/python3 has no torch (${parsed.missing})` : parsed;
}

/** A PyTorch timing as a `Timing` (one median, no samples kept). */
export const asTiming = (t: TorchTiming): Timing => ({ medianMs: t.ms, cpuMedianMs: t.cpu_ms, samplesMs: [t.ms], cpuSamplesMs: [t.cpu_ms] });
