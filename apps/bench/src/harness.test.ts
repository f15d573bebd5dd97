import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertAgree, markdown, median, runSuite, type Suite, type SuiteResult } from './harness.js';
import { barPlot } from './plot.js';

const result: SuiteResult = {
  unit: 'ops/s',
  peer: 'peer <lib>',
  lmkit: 'lmkit',
  notes: ['a note'],
  cases: [
    { name: 'small', peer: 10, lmkit: 25, peerTiming: { medianMs: 1, cpuMedianMs: 1, samplesMs: [1], cpuSamplesMs: [1] }, lmkitTiming: { medianMs: 0.4, cpuMedianMs: 0.4, samplesMs: [0.4], cpuSamplesMs: [0.4] } },
    { name: 'large', peer: 4, lmkit: 2, peerTiming: { medianMs: 5, cpuMedianMs: 5, samplesMs: [5], cpuSamplesMs: [5] }, lmkitTiming: { medianMs: 10, cpuMedianMs: 10, samplesMs: [10], cpuSamplesMs: [10] } },
  ],
};

const suite: Suite = {
  name: 'fake',
  description: 'a suite for the harness test',
  async run(ctx) {
    ctx.plan(1);
    const timing = await ctx.time('sum', () => Array.from({ length: 1000 }, (_, i) => i).reduce((s, x) => s + x, 0), { warmup: 1, runs: 3, minSampleMs: 1 });
    expect(timing.samplesMs).toHaveLength(3);
    expect(timing.cpuSamplesMs).toHaveLength(3);
    return result;
  },
};

describe('bench harness', () => {
  let dir = '';
  afterEach(() => {
    vi.restoreAllMocks();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('throws on disagreeing outputs, naming where', () => {
    expect(() => assertAgree('ok', [1, 2.0001], [1, 2], 1e-3)).not.toThrow();
    expect(() => assertAgree('case', [1, 3], [1, 2])).toThrow(/case: outputs disagree at 1: 3 vs 2/);
    expect(() => assertAgree('case', [1], [1, 2])).toThrow(/differ in length/);
    expect(() => assertAgree('case', [NaN], [1], 1)).toThrow(/disagree/);
  });

  it('writes a Markdown table with ratios', () => {
    const md = markdown(suite, result, ['env line']);
    expect(md).toContain('| small | 10.00 | 25.00 | 2.50× |');
    expect(md).toContain('| large | 4.00 | 2.00 | 0.50× |');
    expect(md).toContain('- a note\n- env line');
  });

  it('draws one bar per measurement, escaping text', () => {
    const svg = barPlot('title', result);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x="260"/g)).toHaveLength(4);
    expect(svg).toContain('peer &lt;lib&gt;');
    expect(svg).toContain('2.50×');
  });

  it('runs a suite and writes its JSON, Markdown and SVG', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmkit-bench-'));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runSuite(suite, dir)).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'fake.json'), 'utf8'));
    expect(json.suite).toBe('fake');
    expect(json.cases.map((c: { ratio: number }) => c.ratio)).toEqual([2.5, 0.5]);
    expect(readFileSync(join(dir, 'fake.md'), 'utf8')).toContain('# fake');
    expect(readFileSync(join(dir, 'fake.svg'), 'utf8')).toContain('</svg>');
    expect(stderr.mock.calls.map(([s]) => String(s)).join('')).toContain('1/1 sum');
  });

  it('reports a failing suite and writes nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lmkit-bench-'));
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failing: Suite = { ...suite, name: 'failing', run: async () => assertAgree('x', [1], [2]) as never };
    expect(await runSuite(failing, dir)).toBe(false);
    expect(error.mock.calls[0]![0]).toContain('✗ failing: x: outputs disagree');
    expect(() => readFileSync(join(dir, 'failing.json'))).toThrow();
  });
});
