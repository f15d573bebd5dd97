/**
 * PyTorch as a peer: a suite's Python script run by Debian's /usr/bin/python3 with a JSON config as
 * its argument, printing one JSON object — or `{"missing": "<why>"}` when torch does not import.
 */
import { spawnSync } from 'node:child_process';
import type { Timing } from './harness.js';

/** A median wall-clock and CPU time, as the scripts report them. */
export interface TorchTiming {
  readonly ms: number;
  readonly cpu_ms: number;
}

/** The script's result, or why there is none (never throws: a missing PyTorch is a note, not a failure). */
export function runTorch<T extends object>(script: string, config: object, timeoutMs: number): T | string {
  const r = spawnSync('/usr/bin/python3', ['-c', script, JSON.stringify(config)], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 20 });
  if (r.error !== undefined) return `PyTorch skipped: /usr/bin/python3 did not run (${r.error.message})`;
  if (r.status !== 0) return `PyTorch skipped: the script exited with ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').pop()}`;
  const parsed = JSON.parse(r.stdout) as T | { missing: string };
  return 'missing' in parsed ? `PyTorch skipped: /usr/bin/python3 has no torch (${parsed.missing})` : parsed;
}

/** A PyTorch timing as a `Timing` (one median, no samples kept). */
export const asTiming = (t: TorchTiming): Timing => ({ medianMs: t.ms, cpuMedianMs: t.cpu_ms, samplesMs: [t.ms], cpuSamplesMs: [t.cpu_ms] });
