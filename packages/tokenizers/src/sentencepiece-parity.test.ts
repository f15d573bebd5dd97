/**
 * SentencePiece parity: a unigram model trained by Debian's `sentencepiece` (with its nmt_nfkc
 * precompiled normalization) and converted to tokenizer.json encodes test sentences with the
 * ids SentencePiece gave. The fixture is made by `scripts/make-sentencepiece-fixture.py`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from './tokenizer.js';

interface Fixture {
  tokenizer: object;
  cases: Array<{ text: string; ids: number[]; pieces: string[] }>;
}

const fixture = JSON.parse(readFileSync(new URL('./testing/fixtures/sentencepiece-unigram.json', import.meta.url), 'utf8')) as Fixture;

describe('SentencePiece unigram (Debian sentencepiece) parity', () => {
  const tokenizer = Tokenizer.fromJSON(fixture.tokenizer);

  it('encodes every test sentence with the ids SentencePiece gave', () => {
    for (const { text, ids, pieces } of fixture.cases) {
      const encoding = tokenizer.encode(text);
      expect(encoding.tokens, text).toEqual(pieces);
      expect(encoding.ids, text).toEqual(ids);
    }
    expect(fixture.cases.length).toBeGreaterThan(300);
  });

  it('the Precompiled normalizer applies nmt_nfkc with offsets into the original text', () => {
    const text = 'ﬁne ｆｕｌｌ ①';
    const encoding = tokenizer.encode(text);
    expect(encoding.tokens.join('')).toBe('▁fine▁full▁1');
    for (const [s, e] of encoding.offsets) expect(text.slice(s, e).length).toBeGreaterThan(0);
    expect(text.slice(...(encoding.offsets.at(-1) as [number, number])).endsWith('①')).toBe(true);
    expect(JSON.stringify(Tokenizer.fromJSON(JSON.stringify(tokenizer)))).toBe(JSON.stringify(tokenizer));
  });
});
