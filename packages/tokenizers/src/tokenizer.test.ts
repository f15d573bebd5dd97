/**
 * The `Tokenizer` API around the pipeline: added tokens and their ids, vocabulary views,
 * `decode` / `decodeBatch` with and without special tokens, batch padding options.
 */
import { describe, expect, it } from 'vitest';
import { bertUncasedTokenizerJson } from './testing/fixtures.js';
import { Tokenizer } from './tokenizer.js';

describe('Tokenizer API', () => {
  const bert = (): Tokenizer => Tokenizer.fromJSON(bertUncasedTokenizerJson());

  it('adds tokens after the vocabulary, keeps ids of tokens already in it, and matches them', () => {
    const t = bert();
    expect(t.addTokens(['whaleboat', 'the'])).toBe(1);
    expect(t.tokenToId('whaleboat')).toBe(30_522);
    expect(t.tokenToId('the')).toBe(1996);
    expect(t.addSpecialTokens(['<eos>'])).toBe(1);
    expect(t.idToToken(30_523)).toBe('<eos>');
    expect(t.getVocabSize()).toBe(30_524);
    expect(t.getVocabSize(false)).toBe(30_522);
    expect(t.getVocab().get('whaleboat')).toBe(30_522);
    const e = t.encode('A WHALEBOAT<eos>');
    expect(e.tokens).toEqual(['[CLS]', 'a', 'whaleboat', '<eos>', '[SEP]']);
    expect(e.specialTokensMask).toEqual([1, 0, 0, 0, 1]);
    expect(e.offsets[2]).toEqual([2, 11]);
  });

  it('decode and decodeBatch skip special tokens unless asked not to', () => {
    const t = bert();
    const ids = t.encode('Call me Ishmael. It is [MASK]!').ids;
    expect(t.decode(ids)).toBe('call me ishmael. it is!');
    expect(t.decode(ids, { skipSpecialTokens: false })).toBe('[CLS] call me ishmael. it is [MASK]! [SEP]');
    expect(t.decodeBatch([ids, t.encode('whale').ids])).toEqual(['call me ishmael. it is!', 'whale']);
  });

  it('pads a batch on the left to a multiple, with the pad id, token and type id given', () => {
    const t = bert().setPadding({ direction: 'left', padToMultipleOf: 8, padId: 0, padToken: '[PAD]', padTypeId: 1 });
    const [a, b] = t.encodeBatch(['short', ['a pair of', 'sentences here again']]);
    expect(a?.length).toBe(16);
    expect(b?.length).toBe(16);
    expect(a?.tokens.slice(12)).toEqual(['[PAD]', '[CLS]', 'short', '[SEP]']);
    expect(a?.attentionMask).toEqual([...new Array<number>(13).fill(0), 1, 1, 1]);
    expect(a?.typeIds.slice(0, 13)).toEqual(new Array<number>(13).fill(1));
    expect(b?.sequenceIds).toEqual([...new Array<null>(8).fill(null), 0, 0, 0, null, 1, 1, 1, null]);
    t.setPadding({ length: 12 });
    expect(t.encode('one').length).toBe(12);
  });

  it('rejects bad truncation and padding options by name', () => {
    expect(() => bert().setTruncation({ maxLength: -1 })).toThrow(/truncation\.maxLength/);
    expect(() => bert().setPadding({ padToMultipleOf: 0 })).toThrow(/padding\.padToMultipleOf/);
    expect(() => bert().setTruncation({ maxLength: 4, stride: 3 }).encode('one two three four five six')).toThrow(/truncation\.stride/);
  });
});
