/**
 * Properties of byte-level BPE (GPT-2) checked with fast-check: decoding an encoding gives the
 * text back, and each token's offsets cover the characters its bytes came from.
 *
 * Lone surrogates: Rust strings cannot hold them, and the Rust binding receives U+FFFD in their
 * place (Node's UTF-8 conversion). Byte-level encoding here does the same, so
 * `decode(encode(s))` is `s` with each lone surrogate replaced by U+FFFD (`toWellFormed`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAR_TO_BYTE } from './byte-level-alphabet.js';
import { gpt2TokenizerJson } from './testing/fixtures.js';
import { rust } from './testing/rust-binding.js';
import { Tokenizer } from './tokenizer.js';
import { toWellFormed } from './unicode.js';

const tokenizer = Tokenizer.fromJSON(gpt2TokenizerJson());

/** Strings of code units drawn from ASCII, Latin, CJK, emoji halves and lone surrogates. */
const anyText = fc.string({ unit: fc.oneof(fc.constantFrom('a', ' ', 'Z', '\n', "'", '1'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('😀', '👍🏽', '\ud83d', '\ude00', 'é', '中', '\u0301')), maxLength: 60 });

describe('byte-level BPE properties', () => {
  it('decode(encode(s)) === toWellFormed(s), for any string', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(tokenizer.decode(tokenizer.encode(s).ids)).toBe(toWellFormed(s));
      }),
      { numRuns: 500 },
    );
  });

  it('decode(encode(s)) === s for well-formed strings with emoji', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(tokenizer.decode(tokenizer.encode(s).ids)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it("offsets slice back to the characters each token's bytes came from", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const e = tokenizer.encode(s);
        e.offsets.forEach(([start, end], i) => {
          const bytes = Buffer.from([...(e.tokens[i] as string)].map((ch) => CHAR_TO_BYTE.get(ch) as number));
          expect(Buffer.from(toWellFormed(s.slice(start, end))).includes(bytes)).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('treats a lone surrogate as U+FFFD, like the Rust binding', async () => {
    const theirs = rust.Tokenizer.fromString(JSON.stringify(gpt2TokenizerJson()));
    for (const s of ['a\ud83db', '\ude00', 'x\ud83d\ud83dy', '😀\ud83d']) {
      expect(tokenizer.encode(s).ids).toEqual((await theirs.encode(s)).getIds());
      expect(tokenizer.decode(tokenizer.encode(s).ids)).toBe(toWellFormed(s));
    }
  });
});
