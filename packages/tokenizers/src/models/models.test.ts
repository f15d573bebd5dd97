/**
 * Model options against the Rust binding on small hand-made vocabularies: BPE with
 * continuing-subword prefix, end-of-word suffix, unknown tokens (fused or not), byte fallback,
 * ignore_merges; WordPiece; WordLevel; Unigram (Viterbi, fused unknowns, byte fallback).
 * Dropout is seeded, so a seed replays a segmentation.
 */
import { describe, expect, it } from 'vitest';
import { rust, utf16Offsets } from '../testing/rust-binding.js';
import { Tokenizer } from '../tokenizer.js';
import { BPE } from './bpe.js';

const TEXTS = ['abc abcd bca', 'xyz abq cab', 'aaaa bbbb', 'a€b ab😀', 'unknown zzz'];

async function expectSame(model: object, texts: readonly string[] = TEXTS): Promise<void> {
  const json = { version: '1.0', added_tokens: [], pre_tokenizer: { type: 'WhitespaceSplit' }, model };
  const ours = Tokenizer.fromJSON(json);
  const theirs = rust.Tokenizer.fromString(JSON.stringify(json));
  for (const text of texts) {
    const e = await theirs.encode(text);
    const o = ours.encode(text);
    expect(o.tokens, text).toEqual(e.getTokens());
    expect(o.ids, text).toEqual(e.getIds());
    if (!/[€😀]/.test(text)) expect(o.offsets, text).toEqual(utf16Offsets(text, e));
  }
  expect(Tokenizer.fromJSON(JSON.parse(JSON.stringify(ours.toJSON()))).encode(texts.join(' ')).ids).toEqual(ours.encode(texts.join(' ')).ids);
}

const bytes = Object.fromEntries(Array.from({ length: 256 }, (_, b) => [`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 100 + b]));

describe('BPE options match the Rust binding', () => {
  const base = { type: 'BPE', dropout: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, continuing_subword_prefix: null, end_of_word_suffix: null };
  const vocab = { '<unk>': 0, a: 1, b: 2, c: 3, d: 4, ab: 5, bc: 6, abc: 7, aa: 8, aaaa: 9, bb: 10, q: 11 };
  const merges = [['a', 'b'], ['b', 'c'], ['ab', 'c'], ['a', 'a'], ['aa', 'aa'], ['b', 'b']];

  it('plain merges, unknown characters dropped without unk_token', () => expectSame({ ...base, unk_token: null, vocab, merges }));
  it('unk_token, unfused and fused', async () => {
    await expectSame({ ...base, unk_token: '<unk>', vocab, merges });
    await expectSame({ ...base, unk_token: '<unk>', fuse_unk: true, vocab, merges });
  });
  it('byte fallback', () => expectSame({ ...base, unk_token: '<unk>', byte_fallback: true, vocab: { ...vocab, ...bytes }, merges }));
  it('ignore_merges', () => expectSame({ ...base, unk_token: '<unk>', ignore_merges: true, vocab: { ...vocab, bca: 12 }, merges }));
  it('continuing_subword_prefix and end_of_word_suffix', () =>
    expectSame({
      ...base,
      unk_token: '<unk>',
      continuing_subword_prefix: '##',
      end_of_word_suffix: '</w>',
      vocab: { '<unk>': 0, a: 1, '##b': 2, '##c</w>': 3, ab: 4, '##b</w>': 5, '##a': 6, 'ab</w>': 7, '##bc</w>': 8, c: 9, '##a</w>': 10 },
      merges: [['a', '##b'], ['a', '##b</w>'], ['##b', '##c</w>']],
    }));
  it('merges in the legacy "a b" string format', () => expectSame({ ...base, unk_token: '<unk>', vocab, merges: merges.map((m) => m.join(' ')) }));

  it('dropout is seeded: same seed, same segmentation; dropout 1 leaves characters', () => {
    const make = (seed: number, dropout: number): BPE => new BPE(new Map(Object.entries(vocab)), merges as Array<[string, string]>, { dropout, seed, unkToken: '<unk>' });
    const word = 'abcabcaaaabb'.repeat(5);
    const a = make(7, 0.5).tokenize(word).map((t) => t.value);
    expect(make(7, 0.5).tokenize(word).map((t) => t.value)).toEqual(a);
    expect(a.join('')).toBe(word);
    expect(make(1, 1).tokenize('abc').map((t) => t.value)).toEqual(['a', 'b', 'c']);
    expect(make(1, 0).tokenize('abc').map((t) => t.value)).toEqual(['abc']);
  });
});

describe('WordPiece and WordLevel match the Rust binding', () => {
  const vocab = { '[UNK]': 0, a: 1, ab: 2, '##c': 3, '##bc': 4, b: 5, '##a': 6, x: 7, '##€': 8, '##b': 9 };
  it('WordPiece greedy longest match, [UNK] for words without a segmentation or too long', async () => {
    await expectSame({ type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab });
    await expectSame({ type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 3, vocab }, ['abc abcab a€ ab']);
  });
  it('WordLevel', () => expectSame({ type: 'WordLevel', unk_token: '[UNK]', vocab: { '[UNK]': 0, abc: 1, abcd: 2, 'a€b': 3 } }));
});

describe('Unigram matches the Rust binding', () => {
  const pieces: Array<[string, number]> = [
    ['<unk>', 0],
    ['a', -2],
    ['b', -2.5],
    ['c', -3],
    ['ab', -3],
    ['bc', -3.2],
    ['abc', -4.5],
    ['aa', -2.9],
    ['ca', -4],
    ['€', -5],
  ];
  it('Viterbi best path with fused unknowns', () => expectSame({ type: 'Unigram', unk_id: 0, vocab: pieces, byte_fallback: false }));
  it('byte fallback for unknown pieces', () => expectSame({ type: 'Unigram', unk_id: 0, vocab: [...pieces, ...Object.keys(bytes).map((b) => [b, -10])], byte_fallback: true }));
});
