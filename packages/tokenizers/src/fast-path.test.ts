/**
 * The fused ByteLevel → BPE fast path gives exactly what the general pipeline gives (forced by
 * wrapping the pre-tokenizer in a Sequence): ids, tokens, offsets and word ids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLevelWords } from './byte-level-bpe-fast-path.js';
import { NormalizedString } from './normalized-string.js';
import { PreTokenizedString } from './pre-tokenized-string.js';
import { ByteLevel } from './pre-tokenizers/byte-level.js';
import { gpt2TokenizerJson, mobyDick } from './testing/fixtures.js';
import { Tokenizer } from './tokenizer.js';

describe('byte-level BPE fast path', () => {
  const json = gpt2TokenizerJson() as { pre_tokenizer: object };
  const fast = Tokenizer.fromJSON(json);
  const general = Tokenizer.fromJSON({ ...json, pre_tokenizer: { type: 'Sequence', pretokenizers: [json.pre_tokenizer] } });
  fast.addTokens([{ content: ' whale', lstrip: true }]);
  general.addTokens([{ content: ' whale', lstrip: true }]);

  const same = (text: string): void => {
    const a = fast.encode(text);
    const b = general.encode(text);
    expect(a.ids).toEqual(b.ids);
    expect(a.tokens).toEqual(b.tokens);
    expect(a.offsets).toEqual(b.offsets);
    expect(a.wordIds).toEqual(b.wordIds);
  };

  it('on Moby Dick', () => same(mobyDick().slice(0, 200_000)));

  it('on arbitrary strings, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(' ', 'a', '\ud83d', '😀', 'é', '\n', "'s"), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 50 }), same), { numRuns: 400 });
  });

  it('byteLevelWords (training) gives the words of the ByteLevel pre-tokenizer', () => {
    const general = (text: string): string[] => {
      const pre = new PreTokenizedString(NormalizedString.from(text));
      new ByteLevel({ addPrefixSpace: false }).preTokenize(pre);
      return pre.splits.map((s) => s.normalized.text);
    };
    expect(byteLevelWords(mobyDick().slice(0, 100_000))).toEqual(general(mobyDick().slice(0, 100_000)));
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(' ', 'a', '\ud83d', '😀', 'é', '\n'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 50 }), (s) => {
        expect(byteLevelWords(s)).toEqual(general(s));
      }),
      { numRuns: 300 },
    );
  });

  it('with a normalizer (non-identity alignments) and truncation', () => {
    const withNormalizer = { ...json, normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKD' }, { type: 'Lowercase' }] } };
    const a = Tokenizer.fromJSON(withNormalizer).setTruncation({ maxLength: 40 });
    const b = Tokenizer.fromJSON({ ...withNormalizer, pre_tokenizer: { type: 'Sequence', pretokenizers: [json.pre_tokenizer] } }).setTruncation({ maxLength: 40 });
    for (const text of ['ﬁne Café ŒUVRE ①②③ and İstanbul 😀', mobyDick().slice(5000, 7000)]) {
      const x = a.encode(text);
      const y = b.encode(text);
      expect(x.ids).toEqual(y.ids);
      expect(x.offsets).toEqual(y.offsets);
      expect(x.overflowing.map((o) => o.ids)).toEqual(y.overflowing.map((o) => o.ids));
    }
  });
});
