/**
 * Splitting a `NormalizedString` on a pattern with one of the five delimiter behaviours.
 *
 * Reference: `NormalizedString::split` and `Pattern::find_matches` in Hugging Face `tokenizers`
 * (`normalizer.rs`, `pattern.rs`): a pattern cuts the text into alternating match / non-match
 * ranges, and the behaviour says what happens to the matches.
 */
import { findAll, type NormalizedString } from './normalized-string.js';
import { codePointLength } from './unicode.js';

/** The behaviours, spelled as in `tokenizer.json`. */
export type SplitDelimiterBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';
export const SPLIT_BEHAVIORS: readonly SplitDelimiterBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

/** A global RegExp, a literal string, or a per-character predicate (each match is one char). */
export type SplitPattern = RegExp | string | ((ch: string) => boolean);

type Range = [start: number, end: number, isMatch: boolean];

/** Alternating match / non-match ranges covering all of `text`. */
export function findMatches(text: string, pattern: SplitPattern, invert = false): Range[] {
  if (text.length === 0) return [[0, 0, invert]];
  const out: Range[] = [];
  let prev = 0;
  const add = (s: number, e: number): void => {
    if (prev !== s) out.push([prev, s, invert]);
    out.push([s, e, !invert]);
    prev = e;
  };
  if (typeof pattern === 'function') {
    for (let i = 0; i < text.length; ) {
      const n = codePointLength(text, i);
      if (pattern(n === 1 ? (text[i] as string) : text.slice(i, i + n))) add(i, i + n);
      i += n;
    }
  } else {
    for (const [s, e] of findAll(text, pattern)) add(s, e);
  }
  if (prev !== text.length) out.push([prev, text.length, invert]);
  return out;
}

/** Split `normalized` on `pattern`; empty pieces are dropped. */
export function splitNormalized(
  normalized: NormalizedString,
  pattern: SplitPattern,
  behavior: SplitDelimiterBehavior,
  invert = false,
): NormalizedString[] {
  const matches = findMatches(normalized.text, pattern, invert);
  const spans: Array<[number, number]> = [];
  switch (behavior) {
    case 'Removed':
      for (const [s, e, m] of matches) if (!m) spans.push([s, e]);
      break;
    case 'Isolated':
      for (const [s, e] of matches) spans.push([s, e]);
      break;
    case 'Contiguous': {
      let previous = false;
      for (const [s, e, m] of matches) {
        const last = spans[spans.length - 1];
        if (m === previous && last !== undefined) last[1] = e;
        else spans.push([s, e]);
        previous = m;
      }
      break;
    }
    case 'MergedWithPrevious': {
      let previous = false;
      for (const [s, e, m] of matches) {
        const last = spans[spans.length - 1];
        if (m && !previous && last !== undefined) last[1] = e;
        else spans.push([s, e]);
        previous = m;
      }
      break;
    }
    case 'MergedWithNext': {
      let previous = false;
      for (let k = matches.length - 1; k >= 0; k--) {
        const [s, e, m] = matches[k] as Range;
        const last = spans[spans.length - 1];
        if (m && !previous && last !== undefined) last[0] = s;
        else spans.push([s, e]);
        previous = m;
      }
      spans.reverse();
      break;
    }
  }
  const pieces: NormalizedString[] = [];
  for (const [s, e] of spans) if (e > s) pieces.push(normalized.slice(s, e));
  return pieces;
}
