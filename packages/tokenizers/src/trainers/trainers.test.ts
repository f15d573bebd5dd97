/**
 * Trainers, and interop both ways with the Hugging Face Rust binding: a tokenizer trained here
 * and saved as JSON encodes the corpus identically in the binding; one trained and saved by the
 * binding encodes it identically here.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mobyDick } from '../testing/fixtures.js';
import { rust } from '../testing/rust-binding.js';
import { Tokenizer } from '../tokenizer.js';
import { BpeTrainer } from './bpe-trainer.js';
import type { TrainingProgress } from './trainer.js';
import { WordLevelTrainer } from './word-level-trainer.js';
import { UnigramTrainer } from './unigram-trainer.js';
import { WordPieceTrainer } from './word-piece-trainer.js';
import type { Unigram } from '../models/unigram.js';

const text = mobyDick();
const paragraphs = text.split(/\n\n+/).slice(0, 800);
const sample = paragraphs.slice(0, 400);

async function expectRustEncodesLikeUs(ours: Tokenizer, texts: readonly string[] = sample): Promise<void> {
  const theirs = rust.Tokenizer.fromString(JSON.stringify(ours));
  const expected = await theirs.encodeBatch([...texts]);
  expect(ours.encodeBatch(texts).map((e) => e.ids)).toEqual(expected.map((e) => e.getIds()));
}

function pipeline(model: object, rest: object): Tokenizer {
  return Tokenizer.fromJSON({ version: '1.0', added_tokens: [], model, ...rest });
}

const byteLevel = {
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
};
const bert = { normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true }, pre_tokenizer: { type: 'BertPreTokenizer' } };

describe('BpeTrainer', () => {
  it('learns byte-level BPE on Moby Dick; the Rust binding encodes with it identically', async () => {
    const tokenizer = pipeline({ type: 'BPE', vocab: {}, merges: [] }, byteLevel);
    const events: TrainingProgress[] = [];
    await tokenizer.train(paragraphs, new BpeTrainer({ vocabSize: 3000, minFrequency: 2, specialTokens: ['<|endoftext|>'], initialAlphabet: ['Ā'], onProgress: (p) => events.push(p) }));
    expect(tokenizer.getVocabSize()).toBe(3000);
    expect(tokenizer.tokenToId('<|endoftext|>')).toBe(0);
    expect(tokenizer.tokenToId('Ā')).toBeDefined();
    expect(events.at(-1)).toEqual({ stage: 'Compute merges', current: 3000, total: 3000 });
    expect(new Set(events.map((e) => e.stage))).toEqual(new Set(['Count pairs', 'Compute merges']));
    const sampleText = sample.join('\n\n');
    expect(tokenizer.decode(tokenizer.encode(sampleText).ids)).toBe(sampleText);
    await expectRustEncodesLikeUs(tokenizer);
  });

  it('supports a continuing prefix, an end-of-word suffix, limitAlphabet and maxTokenLength', async () => {
    const tokenizer = pipeline({ type: 'BPE', vocab: {}, merges: [], unk_token: '<unk>' }, { pre_tokenizer: { type: 'Whitespace' }, decoder: { type: 'BPEDecoder', suffix: '</w>' } });
    await tokenizer.train(sample, new BpeTrainer({ vocabSize: 800, specialTokens: ['<unk>'], continuingSubwordPrefix: '##', endOfWordSuffix: '</w>', limitAlphabet: 40, maxTokenLength: 5 }));
    const vocab = [...tokenizer.getVocab().keys()];
    expect(vocab.some((t) => t.startsWith('##'))).toBe(true);
    expect(vocab.some((t) => t.endsWith('</w>'))).toBe(true);
    const single = vocab.filter((t) => [...t].length === 1);
    expect(single.length).toBeLessThanOrEqual(40);
    expect(vocab.every((t) => [...t.replace('</w>', '').replace(/^##/, '')].length <= 5 || t === '<unk>')).toBe(true);
    await expectRustEncodesLikeUs(tokenizer);
  });

  it('accepts async iterables', async () => {
    async function* lines(): AsyncGenerator<string> {
      for (const p of sample.slice(0, 50)) yield p;
    }
    const tokenizer = pipeline({ type: 'BPE', vocab: {}, merges: [] }, byteLevel);
    await tokenizer.train(lines(), new BpeTrainer({ vocabSize: 400 }));
    expect(tokenizer.getVocabSize()).toBe(400);
  });
});

describe('WordPieceTrainer and WordLevelTrainer', () => {
  it('WordPiece with BERT normalization; the Rust binding encodes with it identically', async () => {
    const tokenizer = pipeline({ type: 'WordPiece', vocab: {}, unk_token: '[UNK]' }, { ...bert, decoder: { type: 'WordPiece', prefix: '##', cleanup: true } });
    await tokenizer.train(paragraphs, new WordPieceTrainer({ vocabSize: 2000, specialTokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] }));
    expect(tokenizer.getVocabSize()).toBe(2000);
    expect(tokenizer.tokenToId('[UNK]')).toBe(1);
    expect([...tokenizer.getVocab().keys()].filter((t) => t.startsWith('##')).length).toBeGreaterThan(100);
    await expectRustEncodesLikeUs(tokenizer);
  });

  it('WordLevel keeps the most frequent words', async () => {
    const tokenizer = pipeline({ type: 'WordLevel', vocab: {}, unk_token: '<unk>' }, { pre_tokenizer: { type: 'Whitespace' } });
    await tokenizer.train(paragraphs, new WordLevelTrainer({ vocabSize: 3000, minFrequency: 2, specialTokens: ['<unk>', '<pad>'] }));
    expect(tokenizer.getVocabSize()).toBe(3000);
    expect(tokenizer.idToToken(2)).toBe(',');
    expect(tokenizer.idToToken(3)).toBe('the');
    await expectRustEncodesLikeUs(tokenizer);
  });
});

describe('models trained by the Rust binding load here and encode identically', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmkit-tokenizers-'));
  const corpus = join(dir, 'moby-dick.txt');
  writeFileSync(corpus, text.slice(0, 250_000));
  const cases: Array<[string, object, object]> = [
    ['BPE', { type: 'BPE', vocab: {}, merges: [] }, byteLevel],
    ['WordPiece', { type: 'WordPiece', vocab: {}, unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100 }, bert],
    ['WordLevel', { type: 'WordLevel', vocab: {}, unk_token: '[UNK]' }, { pre_tokenizer: { type: 'Whitespace' } }],
    ['Unigram', { type: 'Unigram', vocab: [], unk_id: null }, { pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true } }],
  ];
  for (const [name, model, rest] of cases) {
    it(name, async () => {
      const theirs = rust.Tokenizer.fromString(JSON.stringify({ version: '1.0', added_tokens: [], model, ...rest }));
      theirs.train([corpus]);
      const saved = join(dir, `${name}.json`);
      theirs.save(saved);
      const ours = Tokenizer.fromJSON(readFileSync(saved, 'utf8'));
      expect(ours.model.vocabSize).toBeGreaterThan(100);
      const expected = await theirs.encodeBatch(sample);
      expect(ours.encodeBatch(sample).map((e) => e.ids)).toEqual(expected.map((e) => e.getIds()));
    });
  }
});

describe('UnigramTrainer', () => {
  it('learns a SentencePiece-style vocabulary; the Rust binding encodes with it identically', async () => {
    const metaspace = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
    const tokenizer = pipeline({ type: 'Unigram', vocab: [], unk_id: null }, { pre_tokenizer: metaspace, decoder: metaspace });
    const events: TrainingProgress[] = [];
    await tokenizer.train(sample.slice(0, 150), new UnigramTrainer({ vocabSize: 600, unkToken: '<unk>', specialTokens: ['<pad>'], onProgress: (p) => events.push(p) }));
    expect(tokenizer.getVocabSize()).toBe(600);
    expect(tokenizer.tokenToId('<unk>')).toBe(0);
    expect(tokenizer.tokenToId('<pad>')).toBe(1);
    expect(events.at(-1)?.stage).toBe('EM');
    const pieces = (tokenizer.model as Unigram).getPieces();
    expect(pieces.slice(2).every(([, s], i) => i === 0 || s <= (pieces[i + 1]?.[1] ?? 0))).toBe(true);
    const encoding = tokenizer.encode(sample[3]!);
    expect(encoding.tokens.length).toBeLessThan(sample[3]!.length / 2);
    expect(tokenizer.decode(encoding.ids)).toBe(sample[3]);
    expect(tokenizer.encode('Ж').tokens).toEqual(['\u2581', 'Ж']);
    await expectRustEncodesLikeUs(tokenizer);
  });
});
