/**
 * `tokenizer.json` I/O: bad files fail with errors naming the JSON path; what `toJSON` writes
 * loads back here and in the Rust binding and encodes identically.
 */
import { describe, expect, it } from 'vitest';
import { TokenizerJsonError } from './errors.js';
import { bertUncasedTokenizerJson, gpt2TokenizerJson, mobyDick } from './testing/fixtures.js';
import { rust } from './testing/rust-binding.js';
import { Tokenizer } from './tokenizer.js';

const wordLevel = { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 }, unk_token: '<unk>' };

function errorOf(json: unknown): TokenizerJsonError {
  try {
    Tokenizer.fromJSON(json as object);
  } catch (e) {
    if (e instanceof TokenizerJsonError) return e;
    throw e;
  }
  throw new Error('expected a TokenizerJsonError');
}

describe('bad tokenizer.json files name the JSON path', () => {
  it.each([
    [{ model: { ...wordLevel, type: 'Nope' } }, 'model.type', /one of BPE, WordPiece/],
    [{ model: wordLevel, normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Upper' }] } }, 'normalizer.normalizers[1].type', /Lowercase/],
    [{ model: wordLevel, pre_tokenizer: { type: 'Split', pattern: { Regex: '(' }, behavior: 'Isolated', invert: false } }, 'pre_tokenizer.pattern.Regex', /compile/],
    [{ model: wordLevel, pre_tokenizer: { type: 'Split', pattern: { String: 'x' }, behavior: 'Sideways', invert: false } }, 'pre_tokenizer.behavior', /"Removed"/],
    [{ model: wordLevel, decoder: { type: 'Strip', content: 'ab', start: 1, stop: 0 } }, 'decoder.content', /single character/],
    [{ model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: [['a', 'b'], ['a', 'c']] } }, 'model.merges[1]', /"c"/],
    [{ model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: ['a b'] } }, 'model.merges[0]', /merged token.*"ab"/],
    [{ model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b c'] } }, 'model.merges[0]', /two tokens/],
    [{ model: { type: 'BPE', vocab: { a: 'zero' }, merges: [] } }, 'model.vocab["a"]', /integer/],
    [{ model: { type: 'WordPiece', vocab: {}, max_input_chars_per_word: '100' } }, 'model.max_input_chars_per_word', /integer/],
    [{ model: { type: 'Unigram', unk_id: 5, vocab: [['a', -1]] } }, 'model.unk_id', /index/],
    [{ model: { type: 'Unigram', unk_id: 0, vocab: [['a', 'x']] } }, 'model.vocab[0]', /pair/],
    [{ model: wordLevel, post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '[X]', type_id: 0 } }], pair: [], special_tokens: {} } }, 'post_processor.single[0].SpecialToken.id', /special_tokens/],
    [{ model: wordLevel, added_tokens: [{ id: 'one', content: 'x' }] }, 'added_tokens[0].id', /integer/],
    [{ model: wordLevel, truncation: { max_length: 5, strategy: 'Middle' } }, 'truncation.strategy', /LongestFirst/],
    [{ model: wordLevel, padding: { strategy: { Fixed: -1 } } }, 'padding.strategy.Fixed', /integer/],
    ['{not json', '(root)', /valid JSON/],
  ])('%#: %s', (json, path, message) => {
    const e = errorOf(json);
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
  });

  it('a missing unk_token, when a word needs it, names model.unk_token', () => {
    const t = Tokenizer.fromJSON({ model: { type: 'WordLevel', vocab: { a: 0 }, unk_token: '<unk>' }, pre_tokenizer: { type: 'Whitespace' } });
    expect(t.encode('a').ids).toEqual([0]);
    expect(() => t.encode('a b')).toThrow(/model\.unk_token: "<unk>" is not in model\.vocab/);
    const u = Tokenizer.fromJSON({ model: { type: 'Unigram', unk_id: null, vocab: [['a', -1]] } });
    expect(() => u.encode('ab')).toThrow(/model\.unk_id: null/);
  });
});

describe('toJSON round-trips through this package and the Rust binding', () => {
  const text = mobyDick().slice(0, 30_000);
  for (const [name, json] of [['GPT-2', gpt2TokenizerJson()], ['BERT', bertUncasedTokenizerJson()]] as const) {
    it(name, async () => {
      const original = Tokenizer.fromJSON(json);
      original.addTokens(['whale-boat', { content: 'Ishmael', singleWord: true }]);
      original.setTruncation({ maxLength: 64, stride: 8 }).setPadding({ padToMultipleOf: 16, padId: 0 });
      const saved = JSON.stringify(original);
      const reloaded = Tokenizer.fromJSON(saved);
      const theirs = rust.Tokenizer.fromString(saved);
      const paragraphs = text.split(/\n\n+/).slice(0, 40);
      const mine = original.encodeBatch(paragraphs);
      expect(reloaded.encodeBatch(paragraphs).map((e) => e.ids)).toEqual(mine.map((e) => e.ids));
      const expected = await theirs.encodeBatch(paragraphs);
      expect(mine.map((e) => e.ids)).toEqual(expected.map((e) => e.getIds()));
      expect(mine.map((e) => e.overflowing.map((o) => o.ids))).toEqual(expected.map((e) => e.getOverflowing().map((o) => o.getIds())));
      expect(JSON.stringify(reloaded)).toBe(saved);
    });
  }
});
