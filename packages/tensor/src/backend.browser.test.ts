import { describe, expect, it } from 'vitest';
import { runInChromium } from '../../../test/browser/harness.js';

interface Row {
  name: string;
  info?: { name: string; simd?: boolean; adapter?: { architecture: string } };
  loss?: number;
  gradNorm?: number;
  error?: string;
}

describe('initBackend in the browser (headless Chromium)', () => {
  it('starts cpu, wasm and webgpu and computes the same loss and gradient on each', async () => {
    const rows = (await runInChromium(new URL('./browser-entry.fixture.ts', import.meta.url).pathname)) as Row[];
    expect(rows.map((r) => [r.name, r.error])).toEqual([
      ['cpu', undefined],
      ['wasm', undefined],
      ['webgpu', undefined],
    ]);
    expect(rows[1]!.info!.simd).toBe(true);
    expect(rows[2]!.info!.adapter!.architecture).toBeTypeOf('string');
    const [cpu, ...others] = rows;
    for (const r of others) {
      expect(r.loss!).toBeCloseTo(cpu!.loss!, 4);
      expect(r.gradNorm!).toBeCloseTo(cpu!.gradNorm!, 4);
    }
  }, 120_000);
});
