import { describe, expect, it } from 'vitest';
import { runInChromium } from '../../../test/browser/harness.js';

interface Row {
  name: string;
  info?: { name: string; simd?: boolean; adapter?: { architecture: string } };
  loss?: number;
  gradNorm?: number;
  product?: number;
  attended?: number;
  fused?: boolean;
  error?: string;
}

describe('initBackend in the browser (headless Chromium)', () => {
  it('starts cpu, wasm and webgpu and computes the same loss, gradient, product and attention on each', async () => {
    const rows = (await runInChromium(new URL('./browser-entry.fixture.ts', import.meta.url).pathname)) as Row[];
    expect(rows.map((r) => [r.name, r.error])).toEqual([
      ['cpu', undefined],
      ['wasm', undefined],
      ['webgpu', undefined],
    ]);
    expect(rows[1]!.info!.simd).toBe(true);
    expect(rows[2]!.info!.adapter!.architecture).toBeTypeOf('string');
    expect(rows.map((r) => r.fused)).toEqual([false, true, false]);
    const [cpu, ...others] = rows;
    for (const r of others) {
      expect(r.loss!).toBeCloseTo(cpu!.loss!, 4);
      expect(r.gradNorm!).toBeCloseTo(cpu!.gradNorm!, 4);
      expect(r.product!).toBeCloseTo(cpu!.product!, 3);
      expect(r.attended!).toBeCloseTo(cpu!.attended!, 3);
    }
  }, 120_000);
});
