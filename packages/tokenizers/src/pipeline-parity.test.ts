/**
 * Stage-by-stage parity with the Hugging Face Rust binding: every normalizer, pre-tokenizer,
 * decoder and post-processor built from the same JSON gives the same tokens, offsets, word ids
 * and text; so do added-token options, truncation and padding.
 */
import { describe, expect, it } from 'vitest';
import { gpt2TokenizerJson } from './testing/fixtures.js';
import { rust, utf16Offsets } from './testing/rust-binding.js';
import { Tokenizer } from './tokenizer.js';

const TEXTS = [
  'Hello, world! This is   a test.',
  "  Leading and trailing spaces  \n\tand tabs; it's 2024, isn't it? 3.14159 + 42 = 45.14",
  'Café naïve façade ÉCOLE Straße İstanbul ǅ ﬁ ① ²',
  'Mixed 日本語のテキスト and 中文 with Русский текст, ελληνικά.',
  'emoji 😀👍🏽 flags 🇫🇷 and ZWJ 👨‍👩‍👧',
  'punctuation!!! ...and --- dashes—“quotes” «guillemets» (parens) [brackets]',
  'a-b_c.d,e;f:g/h\\i|j',
  'x',
  '',
];

/** A WordLevel tokenizer whose vocabulary holds every word our pipeline produces. */
function wordLevelJson(normalizer: object | null, preTokenizer: object | null): object {
  const probe = Tokenizer.fromJSON({ model: { type: 'WordLevel', vocab: { '[UNK]': 0 }, unk_token: '[UNK]' }, normalizer, pre_tokenizer: preTokenizer });
  const vocab: Record<string, number> = { '[UNK]': 0 };
  for (const text of TEXTS) for (const [word] of probe.preTokenize(text)) vocab[word] ??= Object.keys(vocab).length;
  return { version: '1.0', added_tokens: [], normalizer, pre_tokenizer: preTokenizer, post_processor: null, decoder: null, model: { type: 'WordLevel', vocab, unk_token: '[UNK]' } };
}

async function expectSameEncodings(json: object, texts: readonly string[] = TEXTS): Promise<void> {
  const ours = Tokenizer.fromJSON(json);
  const theirs = rust.Tokenizer.fromString(JSON.stringify(json));
  for (const text of texts) {
    const e = await theirs.encode(text);
    const o = ours.encode(text);
    expect(o.tokens, text).toEqual(e.getTokens());
    expect(o.ids, text).toEqual(e.getIds());
    expect(o.offsets, text).toEqual(utf16Offsets(text, e));
    expect(o.wordIds, text).toEqual(e.getWordIds().map((w) => w ?? null));
  }
}

const NORMALIZERS: Record<string, object> = {
  NFC: { type: 'NFC' },
  NFD: { type: 'NFD' },
  NFKC: { type: 'NFKC' },
  NFKD: { type: 'NFKD' },
  Lowercase: { type: 'Lowercase' },
  Strip: { type: 'Strip', strip_left: true, strip_right: true },
  StripAccents: { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }] },
  'Replace (string)': { type: 'Replace', pattern: { String: ' ' }, content: '_' },
  'Replace (regex)': { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
  Prepend: { type: 'Prepend', prepend: '\u2581' },
  BertNormalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  'BertNormalizer (cased)': { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: false },
};

const behaviors = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];
const PRE_TOKENIZERS: Record<string, object> = {
  Whitespace: { type: 'Whitespace' },
  WhitespaceSplit: { type: 'WhitespaceSplit' },
  BertPreTokenizer: { type: 'BertPreTokenizer' },
  'Metaspace (always)': { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
  'Metaspace (first, no split)': { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false },
  'Metaspace (never)': { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'never', split: true },
  'Digits (individual)': { type: 'Digits', individual_digits: true },
  Digits: { type: 'Digits', individual_digits: false },
  CharDelimiterSplit: { type: 'CharDelimiterSplit', delimiter: ' ' },
  UnicodeScripts: { type: 'UnicodeScripts' },
  'ByteLevel (no regex)': { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: false },
  Sequence: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Digits', individual_digits: true }, { type: 'Punctuation', behavior: 'Isolated' }] },
  ...Object.fromEntries(behaviors.map((b) => [`Punctuation ${b}`, { type: 'Punctuation', behavior: b }])),
  ...Object.fromEntries(behaviors.map((b) => [`Split regex ${b}`, { type: 'Split', pattern: { Regex: '\\s+|[,.!?]' }, behavior: b, invert: false }])),
  ...Object.fromEntries(behaviors.map((b) => [`Split string ${b} inverted`, { type: 'Split', pattern: { String: 'a' }, behavior: b, invert: true }])),
  'Split (Llama 3 pattern)': {
    type: 'Split',
    pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" },
    behavior: 'Isolated',
    invert: false,
  },
};

describe('normalizers match the Rust binding (tokens and offsets)', () => {
  for (const [name, normalizer] of Object.entries(NORMALIZERS)) {
    it(name, () => expectSameEncodings(wordLevelJson(normalizer, { type: 'WhitespaceSplit' })));
  }
});

describe('pre-tokenizers match the Rust binding (tokens and offsets)', () => {
  for (const [name, preTokenizer] of Object.entries(PRE_TOKENIZERS)) {
    it(name, () => expectSameEncodings(wordLevelJson(null, preTokenizer)));
  }
});

describe('decoders match the Rust binding', () => {
  const tokens = ['▁Hello', '##lo', 'wor', 'ld</w>', '<0xE2>', '<0x82>', '<0xAC>', 'ĠcafÃ©', '<pad>', '|', 'a', 'a', '<0xFF>', '▁▁x', 'it', "'s", ' .'];
  const DECODERS: Record<string, object> = {
    ByteLevel: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    WordPiece: { type: 'WordPiece', prefix: '##', cleanup: true },
    Metaspace: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    'Metaspace (never)': { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'never', split: true },
    BPEDecoder: { type: 'BPEDecoder', suffix: '</w>' },
    ByteFallback: { type: 'ByteFallback' },
    Fuse: { type: 'Fuse' },
    // The Rust binding aborts when start + stop cut a token past itself (e.g. 'a' with 1 and 1).
    Strip: { type: 'Strip', content: '\u2581', start: 1, stop: 1 },
    Replace: { type: 'Replace', pattern: { String: '\u2581' }, content: ' ' },
    CTC: { type: 'CTC', pad_token: '<pad>', word_delimiter_token: '|', cleanup: true },
    Sequence: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '\u2581' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] },
  };
  for (const [name, decoder] of Object.entries(DECODERS)) {
    it(name, async () => {
      const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
      const json = { added_tokens: [], decoder, model: { type: 'WordLevel', vocab, unk_token: 'a' } };
      const ids = tokens.map((t) => vocab[t]!);
      const expected = await rust.Tokenizer.fromString(JSON.stringify(json)).decode(ids, false);
      expect(Tokenizer.fromJSON(json).decode(ids, { skipSpecialTokens: false })).toBe(expected);
    });
  }
});

describe('post-processors, added tokens, truncation and padding match the Rust binding', () => {
  const gpt2 = gpt2TokenizerJson() as Record<string, unknown>;
  const pairs: Array<[string, string]> = [
    ['Hello world, how are you?', 'Fine thanks.'],
    [' spaced  out ', 'x'],
  ];

  async function expectSamePairs(json: object, inputs: Array<string | [string, string]>): Promise<void> {
    const ours = Tokenizer.fromJSON(json);
    const theirs = rust.Tokenizer.fromString(JSON.stringify(json));
    const expected = await Promise.all(inputs.map((i) => (typeof i === 'string' ? theirs.encode(i) : theirs.encode(i[0], i[1]))));
    const actual = ours.encodeBatch(inputs);
    const flat = (e: { ids: number[] }[]): number[][] => e.map((x) => x.ids);
    expected.forEach((e, i) => {
      const a = actual[i]!;
      const first = typeof inputs[i] === 'string' ? (inputs[i] as string) : null;
      expect(a.ids).toEqual(e.getIds());
      expect(a.tokens).toEqual(e.getTokens());
      expect(a.typeIds).toEqual(e.getTypeIds());
      expect(a.specialTokensMask).toEqual(e.getSpecialTokensMask());
      expect(a.attentionMask).toEqual(e.getAttentionMask());
      expect(a.wordIds).toEqual(e.getWordIds().map((w) => w ?? null));
      if (first !== null) expect(a.offsets).toEqual(utf16Offsets(first, e));
      expect(flat(a.overflowing)).toEqual(e.getOverflowing().map((o) => o.getIds()));
    });
  }

  it('RobertaProcessing with trimmed offsets', () =>
    expectSamePairs({ ...gpt2, post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: true } }, [
      ...pairs,
      ' Hello  world ',
    ]));

  it('ByteLevel post-processor with trimmed offsets and prefix space', () =>
    expectSamePairs(
      {
        ...gpt2,
        pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
        post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      },
      ['Hello   world  ', '  two leading', ...pairs],
    ));

  it('BertProcessing and Sequence processors', async () => {
    await expectSamePairs({ ...gpt2, post_processor: { type: 'BertProcessing', sep: ['[SEP]', 1], cls: ['[CLS]', 0] } }, [...pairs, 'single']);
    await expectSamePairs(
      {
        ...gpt2,
        post_processor: {
          type: 'Sequence',
          processors: [
            { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
            { type: 'BertProcessing', sep: ['[SEP]', 1], cls: ['[CLS]', 0] },
          ],
        },
      },
      [...pairs, ' single '],
    );
  });

  it('added tokens: special, normal, single_word, lstrip, rstrip, normalized', () => {
    const token = (id: number, content: string, options: object): object => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false, ...options });
    return expectSamePairs(
      {
        ...gpt2,
        normalizer: { type: 'Lowercase' },
        added_tokens: [
          token(50256, '<|endoftext|>', { special: true }),
          token(50257, '<mask>', { lstrip: true, special: true }),
          token(50258, 'whale', { single_word: true, normalized: true }),
          token(50259, '[R]', { rstrip: true }),
          token(50260, 'ahab', { normalized: true }),
        ],
      },
      ['Call me <mask> Ishmael<|endoftext|>', 'a WHALE, whales and whaleboats; Ahab[R]   said', '   <mask>   [R]', ['x <mask>', 'whale [R] y']],
    );
  });

  it('truncation (all strategies, stride, left) and padding (batch, fixed, left, multiple of)', async () => {
    const inputs: Array<string | [string, string]> = [
      'The quick brown fox jumps over the lazy dog again and again',
      ['First sequence of the pair is longer than the second one', 'Second one'],
      ['short', 'The second sequence of this pair is the longer of the two here'],
    ];
    const bert = { type: 'BertProcessing', sep: ['[SEP]', 1], cls: ['[CLS]', 0] };
    for (const strategy of ['LongestFirst', 'OnlyFirst', 'OnlySecond']) {
      for (const [max_length, stride, direction] of [[10, 0, 'Right'], [12, 3, 'Left']] as const) {
        const truncation = { max_length, stride, strategy, direction };
        const padding = { strategy: 'BatchLongest', direction: 'Left', pad_to_multiple_of: 8, pad_id: 3, pad_type_id: 1, pad_token: '[PAD]' };
        const inputsHere = strategy === 'OnlySecond' ? [inputs[2]!] : strategy === 'OnlyFirst' ? inputs.slice(0, 2) : inputs;
        await expectSamePairs({ ...gpt2, post_processor: bert, truncation, padding }, inputsHere);
      }
    }
    const tooShort = { ...gpt2, post_processor: bert, truncation: { max_length: 6, stride: 0, strategy: 'OnlySecond', direction: 'Right' } };
    await expect(rust.Tokenizer.fromString(JSON.stringify(tooShort)).encode('a long first sequence here', 'b')).rejects.toThrow(/too short/);
    expect(() => Tokenizer.fromJSON(tooShort).encode('a long first sequence here', 'b')).toThrow(/leaves nothing of the second sequence/);
    const fixed = { strategy: { Fixed: 20 }, direction: 'Right', pad_to_multiple_of: null, pad_id: 7, pad_type_id: 0, pad_token: '<pad>' };
    await expectSamePairs({ ...gpt2, post_processor: bert, padding: fixed }, inputs);
  });
});
