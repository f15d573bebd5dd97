/**
 * The hand-written GPT-2 scanner cuts every string exactly where the GPT-2 RegExp does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GPT2_PATTERN } from './byte-level.js';
import { gpt2WordEnd } from './gpt2-scanner.js';

function byScanner(text: string): string[] {
  const words: string[] = [];
  for (let start = 0; start < text.length; ) {
    const end = gpt2WordEnd(text, start);
    words.push(text.slice(start, end));
    start = end;
  }
  return words;
}

const byRegex = (text: string): string[] => text.match(new RegExp(GPT2_PATTERN.source, 'gu')) ?? [];

describe('gpt2WordEnd', () => {
  it('matches the RegExp on crafted cases', () => {
    for (const text of ["it's 'S 're 'll 'x ''s", '  a  b   c\n\n d', 'x   ', '1,000.5 ½ Ⅻ', 'tab\t\tx', '\u00a0\u2003word', 'a\ud83d', '😀 😀', ' 😀', '  \ud83d']) {
      expect(byScanner(text), text).toEqual(byRegex(text));
    }
  });

  it('matches the RegExp on arbitrary strings', () => {
    const unit = fc.oneof(fc.constantFrom(' ', ' ', "'", 's', 'l', 'r', 'e', 'v', 'd', 't', 'm', '1', '\n', '\t', '\u00a0', 'é', '中', '😀', '\ud83d', ',', '.'), fc.string({ unit: 'binary', maxLength: 1 }));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(byScanner(text)).toEqual(byRegex(text));
      }),
      { numRuns: 2000 },
    );
  });
});
