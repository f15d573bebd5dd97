/**
 * A grouped horizontal bar plot as standalone SVG: per case, the peer's bar above lmkit's, each
 * labelled with its value, and lmkit ÷ peer at the end of the group.
 */
import type { SuiteResult } from './harness.js';

const ROW = 18; // px per bar
const GAP = 12; // px between cases
const LABEL = 260; // px for case names
const PLOT = 420; // px for the longest bar
const RATIO = 100; // px from the end of the longest bar to the end of the ratio
const COLORS = { peer: '#9aa5b1', lmkit: '#2f6fdf' } as const;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function barPlot(title: string, result: SuiteResult): string {
  const max = Math.max(...result.cases.flatMap((c) => [c.peer, c.lmkit]), Number.MIN_VALUE);
  const top = 50;
  const height = top + result.cases.length * (2 * ROW + GAP) + 10;
  const width = LABEL + PLOT + RATIO + 60;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<rect x="10" y="30" width="10" height="10" fill="${COLORS.peer}"/><text x="25" y="39">${escape(result.peer)}</text>`,
    `<rect x="${LABEL + 10}" y="30" width="10" height="10" fill="${COLORS.lmkit}"/><text x="${LABEL + 25}" y="39">${escape(result.lmkit)}</text>`,
  ];
  result.cases.forEach((c, i) => {
    const y = top + i * (2 * ROW + GAP);
    parts.push(`<text x="${LABEL - 6}" y="${y + ROW + 4}" text-anchor="end">${escape(c.name)}</text>`);
    (['peer', 'lmkit'] as const).forEach((who, j) => {
      const w = (PLOT * c[who]) / max;
      const by = y + j * ROW;
      parts.push(`<rect x="${LABEL}" y="${by + 2}" width="${w.toFixed(1)}" height="${ROW - 4}" fill="${COLORS[who]}"/>`);
      parts.push(`<text x="${(LABEL + w + 4).toFixed(1)}" y="${by + ROW - 5}">${c[who].toFixed(2)}</text>`);
    });
    parts.push(`<text x="${LABEL + PLOT + RATIO}" y="${y + ROW + 4}" text-anchor="end" font-weight="bold">${(c.lmkit / c.peer).toFixed(2)}×</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
