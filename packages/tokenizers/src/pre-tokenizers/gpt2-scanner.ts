/**
 * A hand-written scanner equal to the GPT-2 split pattern
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`: it returns where
 * the word starting at `start` ends, classifying characters through a table instead of running
 * the regex engine. Surrogates (astral characters, lone halves) are left to the regex itself.
 *
 * Reference: Radford et al. 2019 (GPT-2) `encoder.py`; `scanner.test.ts` checks it against the
 * RegExp on arbitrary strings.
 */
import { GPT2_PATTERN } from './byte-level.js';

const LETTER = 1;
const NUMBER = 2;
const SPACE = 3;
const OTHER = 4;
const SURROGATE = 5;

/** The class of each BMP code unit, filled lazily (0: not classified yet). */
const classes = new Uint8Array(0x10000);
const IS_LETTER = /\p{L}/u;
const IS_NUMBER = /\p{N}/u;
const IS_SPACE = /\s/u;

function classOf(code: number): number {
  const known = classes[code] as number;
  if (known !== 0) return known;
  const ch = String.fromCharCode(code);
  const c = code >= 0xd800 && code <= 0xdfff ? SURROGATE : IS_LETTER.test(ch) ? LETTER : IS_NUMBER.test(ch) ? NUMBER : IS_SPACE.test(ch) ? SPACE : OTHER;
  classes[code] = c;
  return c;
}

const sticky = new RegExp(GPT2_PATTERN.source, 'uy');

/** End of the GPT-2 word that starts at `start` (< text.length). */
export function gpt2WordEnd(text: string, start: number): number {
  const n = text.length;
  let i = start;
  let c = text.charCodeAt(i);
  if (c === 0x27 && i + 1 < n) {
    const a = text.charCodeAt(i + 1);
    if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64) return i + 2; // 's 't 'm 'd
    const b = i + 2 < n ? text.charCodeAt(i + 2) : -1;
    if ((a === 0x72 || a === 0x76) && b === 0x65) return i + 3; // 're 've
    if (a === 0x6c && b === 0x6c) return i + 3; // 'll
  }
  let cls = classOf(c);
  if (cls === SURROGATE) return regexEnd(text, start);
  if (c === 0x20 && i + 1 < n) {
    const next = classOf(text.charCodeAt(i + 1));
    if (next === SURROGATE) return regexEnd(text, start);
    if (next !== SPACE) {
      i++;
      c = text.charCodeAt(i);
      cls = next;
    }
  }
  if (cls !== SPACE) {
    for (i++; i < n; i++) {
      const k = classOf(text.charCodeAt(i));
      if (k === SURROGATE) return regexEnd(text, start);
      if (k !== cls) break;
    }
    return i;
  }
  let end = i + 1;
  while (end < n && classOf(text.charCodeAt(end)) === SPACE) end++;
  if (end === n) return end;
  if (classOf(text.charCodeAt(end)) === SURROGATE) return regexEnd(text, start);
  return end - start > 1 ? end - 1 : end;
}

function regexEnd(text: string, start: number): number {
  sticky.lastIndex = start;
  return sticky.test(text) ? sticky.lastIndex : start + 1;
}
