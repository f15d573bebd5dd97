/**
 * The backend report (`pnpm start`): starts every backend that can start here, one after the
 * other, and prints its name, SIMD/threads or adapter, and a measured matMul GFLOP/s — or says
 * exactly why it could not start.
 */
import { existsSync } from 'node:fs';
import { initBackend, tf, BACKEND_NAMES, type BackendInfo, type BackendName } from '@lmkit/tensor';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
/** Square matMul size per backend: large enough to time, small enough for a software GPU. */
const SIZE: Record<BackendName, number> = { cpu: 256, wasm: 1024, webgpu: 256 };

export interface BackendRow {
  readonly name: BackendName;
  readonly info?: BackendInfo;
  readonly gflops?: number;
  readonly error?: string;
}

/** GFLOP/s of an n×n×n matMul on the active backend (median of 5 after a warm-up). */
export async function matMulGflops(n: number): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    if (i > 0) times.push(performance.now() - t0);
  }
  tf.dispose([a, b]);
  times.sort((x, y) => x - y);
  return (2 * n ** 3) / (times[2]! / 1000) / 1e9;
}

export async function backendReport(): Promise<BackendRow[]> {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER;
  }
  const rows: BackendRow[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      const info = await initBackend(name);
      rows.push({ name, info, gflops: await matMulGflops(SIZE[name]) });
    } catch (err) {
      rows.push({ name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return rows;
}

function describeInfo(info: BackendInfo): string {
  if (info.name === 'wasm') return `SIMD ${info.simd ? 'yes' : 'no'}, threads ${info.threads ? 'yes' : 'no'}`;
  if (info.name === 'webgpu' && info.adapter !== undefined) {
    const a = info.adapter;
    const software = a.architecture === 'swiftshader' ? ' (software Vulkan: SwiftShader)' : '';
    return `adapter ${[a.vendor, a.architecture, a.description].filter((s) => s !== '').join(' / ')}${software}`;
  }
  return 'plain JavaScript';
}

export function formatReport(rows: readonly BackendRow[]): string {
  const lines = ['lmkit backend report', ''];
  for (const row of rows) {
    if (row.error !== undefined) {
      lines.push(`✗ ${row.name.padEnd(7)} could not start: ${row.error}`);
    } else {
      const n = SIZE[row.name];
      lines.push(`✓ ${row.name.padEnd(7)} ${describeInfo(row.info!)}; matMul ${n}×${n}×${n}: ${row.gflops!.toFixed(2)} GFLOP/s`);
    }
  }
  return lines.join('\n');
}
