/**
 * Pathological inputs stay near linear time: a 1 MB string without spaces and 100k repeated
 * characters, through GPT-2's byte-level BPE and BERT's WordPiece.
 */
import { describe, expect, it } from 'vitest';
import { bertUncasedTokenizerJson, gpt2TokenizerJson } from './testing/fixtures.js';
import { Tokenizer } from './tokenizer.js';

function seconds(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

describe('near-linear time on pathological input', () => {
  const gpt2 = Tokenizer.fromJSON(gpt2TokenizerJson());

  it('BPE: time grows about linearly with the length of one long word', () => {
    const word = (n: number): string => {
      let s = '';
      for (let i = 0; s.length < n; i++) s += 'abcdefghijklmnopqrstuvwxyz'[(i * 7) % 26];
      return s;
    };
    gpt2.encode(word(10_000));
    const small = seconds(() => gpt2.encode(word(100_000)));
    const large = seconds(() => gpt2.encode(word(1_000_000)));
    expect(large).toBeLessThan(20 * Math.max(small, 0.01));
    expect(large).toBeLessThan(15);
  });

  it('BPE: 100k repeated characters and a 1 MB run of digits', () => {
    expect(seconds(() => expect(gpt2.encode('a'.repeat(100_000)).ids.length).toBeGreaterThan(0))).toBeLessThan(5);
    expect(seconds(() => expect(gpt2.encode('7'.repeat(1_000_000)).ids.length).toBeGreaterThan(0))).toBeLessThan(15);
    expect(gpt2.decode(gpt2.encode('a'.repeat(100_000)).ids)).toBe('a'.repeat(100_000));
  });

  it('WordPiece: a 1 MB word is one [UNK] and 100k punctuation marks are fast', () => {
    const bert = Tokenizer.fromJSON(bertUncasedTokenizerJson());
    expect(bert.encode('x'.repeat(1_000_000), null, { addSpecialTokens: false }).tokens).toEqual(['[UNK]']);
    expect(seconds(() => expect(bert.encode('!'.repeat(100_000)).ids.length).toBe(100_002))).toBeLessThan(10);
  });
});
