/**
 * GPT-2 parity: the byte-level BPE tokenizer rebuilt from OpenAI's files encodes all of Moby
 * Dick id for id like `gpt-tokenizer` (r50k_base), and decodes back to the text.
 */
import { encode as r50kEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { describe, expect, it } from 'vitest';
import { CHAR_TO_BYTE } from './byte-level-alphabet.js';
import { gpt2TokenizerJson, mobyDick } from './testing/fixtures.js';
import { Tokenizer } from './tokenizer.js';

describe('GPT-2 (byte-level BPE) against gpt-tokenizer r50k_base', () => {
  const tokenizer = Tokenizer.fromJSON(gpt2TokenizerJson());
  const text = mobyDick();

  it('encodes all of Moby Dick id for id', () => {
    const expected = r50kEncode(text);
    const { ids } = tokenizer.encode(text);
    expect(ids.length).toBe(expected.length);
    const firstDiff = ids.findIndex((id, i) => id !== expected[i]);
    expect(firstDiff).toBe(-1);
  });

  it('round-trips Moby Dick and its offsets cover each token', () => {
    const part = text.slice(0, 50_000);
    const encoding = tokenizer.encode(part);
    expect(tokenizer.decode(encoding.ids)).toBe(part);
    // A token may hold part of a character's UTF-8 bytes; it then spans the whole character.
    let covered = 0;
    encoding.offsets.forEach(([s, e], i) => {
      expect(s).toBeLessThanOrEqual(covered);
      const bytes = Buffer.from([...encoding.tokens[i]!].map((ch) => CHAR_TO_BYTE.get(ch)!));
      expect(Buffer.from(part.slice(s, e)).includes(bytes)).toBe(true);
      covered = Math.max(covered, e);
    });
    expect(covered).toBe(part.length);
  });

  it('matches on short sentences with special characters', () => {
    for (const s of ["Hello world! It's 2024.", '  leading spaces', 'tabs\tand\nnewlines\n\n', 'ünïcödé — “quotes”', '🐳 whales 🐋']) {
      expect(tokenizer.encode(s).ids).toEqual(r50kEncode(s));
    }
  });
});
