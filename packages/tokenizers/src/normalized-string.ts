/**
 * `NormalizedString`: a piece of text after normalization, with each UTF-16 code unit aligned
 * to the range of the ORIGINAL input it came from, so token offsets survive every stage.
 *
 * Reference: `tokenizers/src/tokenizer/normalizer.rs` (Hugging Face), where alignments are per
 * UTF-8 byte and every normalizer goes through `transform`.
 * Porting note: alignments here are absolute UTF-16 offsets into the original string (not bytes,
 * and not relative to the piece), so a slice needs no shift; a piece that is still identical to
 * its original stores no alignment array at all, which keeps the common ASCII path allocation-free.
 * Porting note: a replacement (Replace, Unicode forms) aligns its output to the union of the
 * characters it replaced; HF aligns it to the last replaced byte only.
 */
import { codePointLength } from './unicode.js';

export class NormalizedString {
  /**
   * @param text the normalized text.
   * @param align null when `text[i]` is original unit `base + i`; otherwise `[start0, end0,
   *   start1, end1, ...]`, the original range of each unit.
   * @param base original offset of `text[0]` (identity case) and of an empty piece.
   */
  constructor(
    readonly text: string,
    private readonly align: Int32Array | null,
    private readonly base: number,
  ) {}

  /** A piece identical to `text`, which starts at `base` in the original. */
  static from(text: string, base = 0): NormalizedString {
    return new NormalizedString(text, null, base);
  }

  get length(): number {
    return this.text.length;
  }

  /** Original start of normalized unit `i`. */
  startOf(i: number): number {
    return this.align === null ? this.base + i : (this.align[2 * i] as number);
  }

  /** Original end of normalized unit `i`. */
  endOf(i: number): number {
    return this.align === null ? this.base + i + 1 : (this.align[2 * i + 1] as number);
  }

  /** Original `[start, end)` of normalized units `[start, end)`. */
  originalRange(start: number, end: number): [number, number] {
    if (start < end) return [this.startOf(start), this.endOf(end - 1)];
    if (start < this.text.length) return [this.startOf(start), this.startOf(start)];
    if (this.text.length > 0) {
      const e = this.endOf(this.text.length - 1);
      return [e, e];
    }
    return [this.base, this.base];
  }

  /** The same alignment under a new text of equal length (a 1:1 unit mapping such as ASCII case). */
  withSameAlignment(text: string): NormalizedString {
    return text === this.text ? this : new NormalizedString(text, this.align, this.base);
  }

  /** Normalized units `[start, end)` as their own piece. */
  slice(start: number, end: number): NormalizedString {
    if (start === 0 && end === this.text.length) return this;
    const text = this.text.slice(start, end);
    if (this.align === null) return new NormalizedString(text, null, this.base + start);
    const anchor = this.originalRange(start, start)[0];
    return new NormalizedString(text, this.align.slice(2 * start, 2 * end), anchor);
  }

  /**
   * Rewrite code point by code point: `fn` returns the replacement of each code point ('' drops
   * it); every unit of a replacement aligns to the code point it replaces.
   */
  mapCodePoints(fn: (ch: string) => string): NormalizedString {
    const { text } = this;
    const out = new AlignedBuilder(text.length);
    let changed = false;
    for (let i = 0; i < text.length; ) {
      const n = codePointLength(text, i);
      const ch = n === 1 ? (text[i] as string) : text.slice(i, i + n);
      const rep = fn(ch);
      if (rep === ch) out.copy(this, i, i + n);
      else {
        changed = true;
        out.push(rep, this.startOf(i), this.endOf(i + n - 1));
      }
      i += n;
    }
    return changed ? out.build(this.originalRange(0, 0)[0]) : this;
  }

  /** Keep the code points for which `keep` is true. */
  filter(keep: (ch: string) => boolean): NormalizedString {
    return this.mapCodePoints((ch) => (keep(ch) ? ch : ''));
  }

  /** Replace every match of `pattern` (a global RegExp or a literal) with `content`. */
  replace(pattern: RegExp | string, content: string): NormalizedString {
    const { text } = this;
    const out = new AlignedBuilder(text.length);
    let last = 0;
    let changed = false;
    for (const [s, e] of findAll(text, pattern)) {
      if (s === e) continue;
      changed = true;
      out.copy(this, last, s);
      out.push(content, this.startOf(s), this.endOf(e - 1));
      last = e;
    }
    if (!changed) return this;
    out.copy(this, last, text.length);
    return out.build(this.originalRange(0, 0)[0]);
  }

  /** Prepend `prefix`, aligned to the first character (nothing happens on an empty piece). */
  prepend(prefix: string): NormalizedString {
    if (this.text.length === 0 || prefix.length === 0) return this;
    const out = new AlignedBuilder(this.text.length + prefix.length);
    out.push(prefix, this.startOf(0), this.endOf(codePointLength(this.text, 0) - 1));
    out.copy(this, 0, this.text.length);
    return out.build(this.startOf(0));
  }

  /** Append `suffix`, aligned to the last character. */
  append(suffix: string): NormalizedString {
    const len = this.text.length;
    if (len === 0 || suffix.length === 0) return this;
    const out = new AlignedBuilder(len + suffix.length);
    out.copy(this, 0, len);
    const lastStart = len >= 2 && codePointLength(this.text, len - 2) === 2 ? len - 2 : len - 1;
    out.push(suffix, this.startOf(lastStart), this.endOf(len - 1));
    return out.build(this.startOf(0));
  }
}

/** Accumulates text with per-unit alignments; builds a `NormalizedString`. */
export class AlignedBuilder {
  private readonly parts: string[] = [];
  private align: Int32Array;
  private n = 0;

  constructor(capacity: number) {
    this.align = new Int32Array(Math.max(8, 2 * capacity));
  }

  private reserve(extra: number): void {
    if (2 * (this.n + extra) <= this.align.length) return;
    const grown = new Int32Array(Math.max(2 * this.align.length, 2 * (this.n + extra)));
    grown.set(this.align);
    this.align = grown;
  }

  /** Append `text`, every unit aligned to original `[start, end)`. */
  push(text: string, start: number, end: number): void {
    if (text.length === 0) return;
    this.reserve(text.length);
    this.parts.push(text);
    for (let k = 0; k < text.length; k++) {
      this.align[2 * this.n] = start;
      this.align[2 * this.n + 1] = end;
      this.n++;
    }
  }

  /** Append units `[from, to)` of `source` with their own alignments. */
  copy(source: NormalizedString, from: number, to: number): void {
    if (to <= from) return;
    this.reserve(to - from);
    this.parts.push(source.text.slice(from, to));
    for (let i = from; i < to; i++) {
      this.align[2 * this.n] = source.startOf(i);
      this.align[2 * this.n + 1] = source.endOf(i);
      this.n++;
    }
  }

  /** Append `text` (one unit) aligned like unit `i` of `source`. */
  copyAs(source: NormalizedString, i: number, text: string): void {
    this.reserve(1);
    this.parts.push(text);
    this.align[2 * this.n] = source.startOf(i);
    this.align[2 * this.n + 1] = source.endOf(i);
    this.n++;
  }

  /** @param anchor the original offset an empty result sits at. */
  build(anchor: number): NormalizedString {
    return new NormalizedString(this.parts.join(''), this.align.slice(0, 2 * this.n), anchor);
  }
}

/** `[start, end]` of every match of a global RegExp or a literal in `text`. */
export function findAll(text: string, pattern: RegExp | string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  if (typeof pattern === 'string') {
    if (pattern.length === 0) return found;
    for (let i = text.indexOf(pattern); i !== -1; i = text.indexOf(pattern, i + pattern.length)) {
      found.push([i, i + pattern.length]);
    }
    return found;
  }
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    found.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) pattern.lastIndex += codePointLength(text, m.index);
  }
  return found;
}
