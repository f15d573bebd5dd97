/**
 * BERT uncased (WordPiece) parity with the Hugging Face Rust binding on all of Moby Dick:
 * ids, tokens, offsets, word ids, type ids and special-token masks, paragraph by paragraph.
 */
import { describe, expect, it } from 'vitest';
import { bertUncasedTokenizerJson, bertUncasedVocab, mobyDick } from './testing/fixtures.js';
import { rust, utf16Offsets } from './testing/rust-binding.js';
import { Tokenizer } from './tokenizer.js';

describe('BERT uncased against the Rust binding', () => {
  const json = bertUncasedTokenizerJson();
  const ours = Tokenizer.fromJSON(json);
  const theirs = rust.Tokenizer.fromString(JSON.stringify(json));

  it('rebuilds the 30,522-token vocabulary', () => {
    const vocab = bertUncasedVocab();
    expect(vocab.length).toBe(30_522);
    expect(new Set(vocab).size).toBe(30_522);
    expect(vocab.slice(0, 2)).toEqual(['[PAD]', '[unused0]']);
    expect(vocab.filter((t) => t.startsWith('##')).length).toBe(5_828);
  });

  it('encodes every paragraph of Moby Dick identically (ids, tokens, offsets)', async () => {
    const paragraphs = mobyDick().split(/\n\n+/);
    const expected = await theirs.encodeBatch(paragraphs);
    const actual = ours.encodeBatch(paragraphs);
    let tokens = 0;
    paragraphs.forEach((p, i) => {
      const e = expected[i]!;
      const a = actual[i]!;
      expect(a.ids, p).toEqual(e.getIds());
      expect(a.tokens).toEqual(e.getTokens());
      expect(a.offsets).toEqual(utf16Offsets(p, e));
      expect(a.wordIds).toEqual(e.getWordIds().map((w) => w ?? null));
      expect(a.typeIds).toEqual(e.getTypeIds());
      expect(a.specialTokensMask).toEqual(e.getSpecialTokensMask());
      tokens += a.ids.length;
    });
    expect(tokens).toBeGreaterThan(250_000);
  });

  it('encodes pairs and tricky text identically', async () => {
    const cases: Array<[string, string | null]> = [
      ['Héllo, WORLD! Ünïcödé façade — naïve café.', 'Second  sentence\there.'],
      ['中文字符和English混合', null],
      ['control\u0000chars\u200band\ufeffspaces\u00a0here', null],
      ['[CLS] already [SEP] special [MASK] tokens', 'pair [UNK]'],
      ['😀 emoji 👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', null],
      ['supercalifragilisticexpialidocious' + 'x'.repeat(120), null],
    ];
    for (const [a, b] of cases) {
      const e = await theirs.encode(a, b);
      const o = ours.encode(a, b);
      expect(o.ids, a).toEqual(e.getIds());
      expect(o.tokens).toEqual(e.getTokens());
      expect(o.typeIds).toEqual(e.getTypeIds());
      if (b === null) expect(o.offsets).toEqual(utf16Offsets(a, e));
      expect(ours.decode(o.ids)).toBe(await theirs.decode(e.getIds(), true));
    }
  });
});
