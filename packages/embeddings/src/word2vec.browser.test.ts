import { describe, expect, it } from 'vitest';
import { runInChromium } from '../../../test/browser/harness.js';

interface Trained {
  nearest?: string[];
  error?: { name: string; field: string; message: string };
}

interface Report {
  crossOriginIsolated: boolean;
  oneThread: Trained;
  twoThreads: Trained;
}

const FIXTURE = new URL('./word2vec-browser.fixture.ts', import.meta.url).pathname;
const ANIMALS = ['cow', 'dog', 'horse', 'sheep'];

describe('trainWord2Vec in the browser (headless Chromium)', () => {
  it('trains on two Web Workers sharing the vectors on a cross-origin isolated page', async () => {
    const report = (await runInChromium(FIXTURE, 60_000, { crossOriginIsolated: true })) as Report;
    expect(report.crossOriginIsolated).toBe(true);
    expect(report.oneThread).toEqual({ nearest: ANIMALS });
    expect(report.twoThreads).toEqual({ nearest: ANIMALS });
  });

  it('trains on the page thread elsewhere, and says why threads > 1 cannot', async () => {
    const report = (await runInChromium(FIXTURE)) as Report;
    expect(report.crossOriginIsolated).toBe(false);
    expect(report.oneThread).toEqual({ nearest: ANIMALS });
    expect(report.twoThreads.error).toMatchObject({ name: 'ConfigError', field: 'trainWord2Vec.threads' });
    expect(report.twoThreads.error!.message).toMatch(/cross-origin isolated page .*Cross-Origin-Opener-Policy: same-origin/);
  });
});
