/**
 * `Encoding`: the output of the pipeline for one input (or pair) — ids, tokens, offsets into the
 * original text, masks, type ids, word ids — with truncation, padding and merging.
 *
 * Reference: HF `tokenizers/src/tokenizer/encoding.rs` (`truncate`, `pad`, `merge_with`).
 */
import { TokenizerConfigError } from './errors.js';

export type Offsets = [start: number, end: number];
export type Direction = 'right' | 'left';

export class Encoding {
  /**
   * @param sequenceRanges sequence id (0 = first input, 1 = pair) → `[start, end)` token range.
   */
  constructor(
    public ids: number[] = [],
    public typeIds: number[] = [],
    public tokens: string[] = [],
    public wordIds: Array<number | null> = [],
    public offsets: Offsets[] = [],
    public specialTokensMask: number[] = [],
    public attentionMask: number[] = [],
    public overflowing: Encoding[] = [],
    public sequenceRanges: Map<number, [number, number]> = new Map(),
  ) {}

  get length(): number {
    return this.ids.length;
  }

  /** Per token: the sequence (0 or 1) it came from, or null for special tokens and padding. */
  get sequenceIds(): Array<number | null> {
    const out = new Array<number | null>(this.ids.length).fill(null);
    for (const [seq, [s, e]] of this.sequenceRanges) for (let i = s; i < e; i++) out[i] = seq;
    if (this.sequenceRanges.size === 0) out.fill(0);
    return out;
  }

  /** Mark every token as belonging to sequence `id`. */
  setSequenceId(id: number): void {
    this.sequenceRanges = new Map([[id, [0, this.ids.length]]]);
  }

  clone(): Encoding {
    return new Encoding(
      [...this.ids],
      [...this.typeIds],
      [...this.tokens],
      [...this.wordIds],
      this.offsets.map(([s, e]) => [s, e]),
      [...this.specialTokensMask],
      [...this.attentionMask],
      this.overflowing.map((o) => o.clone()),
      new Map([...this.sequenceRanges].map(([k, [s, e]]) => [k, [s, e]])),
    );
  }

  /** Tokens `[start, end)` as a new encoding (no overflow, no sequence ranges). */
  slice(start: number, end: number): Encoding {
    return new Encoding(
      this.ids.slice(start, end),
      this.typeIds.slice(start, end),
      this.tokens.slice(start, end),
      this.wordIds.slice(start, end),
      this.offsets.slice(start, end).map(([s, e]) => [s, e]),
      this.specialTokensMask.slice(start, end),
      this.attentionMask.slice(start, end),
    );
  }

  /**
   * Keep `maxLength` tokens; the rest go to `overflowing` as windows of `maxLength` that
   * overlap by `stride` tokens.
   */
  truncate(maxLength: number, stride: number, direction: Direction): void {
    const n = this.ids.length;
    if (maxLength >= n) return;
    if (maxLength === 0) {
      const whole = this.clone();
      Object.assign(this, new Encoding());
      this.overflowing = [whole];
      return;
    }
    if (stride >= maxLength) {
      throw new TokenizerConfigError('truncation.stride', `less than the length left after special tokens (${maxLength})`, stride);
    }
    const step = maxLength - stride;
    const parts: Array<[number, number]> = [];
    if (direction === 'right') {
      for (let start = 0; start < n; start += step) {
        const stop = Math.min(start + maxLength, n);
        parts.push([start, stop]);
        if (stop === n) break;
      }
    } else {
      for (let stop = n; stop > 0; stop -= step) {
        const start = Math.max(0, stop - maxLength);
        parts.push([start, stop]);
        if (start === 0) break;
      }
    }
    const [first, ...rest] = parts.map(([s, e]) => this.slice(s, e));
    Object.assign(this, first as Encoding);
    this.overflowing = rest;
  }

  /** Pad to `targetLength` (this encoding and each overflowing piece). */
  pad(targetLength: number, padId: number, padTypeId: number, padToken: string, direction: Direction): void {
    for (const o of this.overflowing) o.pad(targetLength, padId, padTypeId, padToken, direction);
    const n = targetLength - this.ids.length;
    if (n <= 0) return;
    const fill = <T>(value: T): T[] => new Array<T>(n).fill(value);
    const offsets: Offsets[] = Array.from({ length: n }, () => [0, 0]);
    const left = direction === 'left';
    const join = <T>(mine: T[], padding: T[]): T[] => (left ? padding.concat(mine) : mine.concat(padding));
    this.ids = join(this.ids, fill(padId));
    this.typeIds = join(this.typeIds, fill(padTypeId));
    this.tokens = join(this.tokens, fill(padToken));
    this.wordIds = join(this.wordIds, fill<number | null>(null));
    this.offsets = join(this.offsets, offsets);
    this.specialTokensMask = join(this.specialTokensMask, fill(1));
    this.attentionMask = join(this.attentionMask, fill(0));
    if (left) {
      for (const range of this.sequenceRanges.values()) {
        range[0] += n;
        range[1] += n;
      }
    }
  }

  /** Append `pair` (and combine the overflowing pieces of both), as HF `merge_with`. */
  mergeWith(pair: Encoding, growingOffsets: boolean): void {
    const overflowing: Encoding[] = [];
    for (const mine of this.overflowing) {
      const a = mine.clone();
      a.mergeWith(pair.clone(), growingOffsets);
      overflowing.push(a);
      for (const theirs of pair.overflowing) {
        const b = mine.clone();
        b.mergeWith(theirs.clone(), growingOffsets);
        overflowing.push(b);
      }
    }
    for (const theirs of pair.overflowing) {
      const c = this.clone();
      c.mergeWith(theirs.clone(), growingOffsets);
      overflowing.push(c);
    }
    const n = this.ids.length;
    for (const [seq, [s, e]] of pair.sequenceRanges) this.sequenceRanges.set(seq, [n + s, n + e]);
    const shift = growingOffsets ? (this.offsets[this.offsets.length - 1]?.[1] ?? 0) : 0;
    this.ids = this.ids.concat(pair.ids);
    this.typeIds = this.typeIds.concat(pair.typeIds);
    this.tokens = this.tokens.concat(pair.tokens);
    this.wordIds = this.wordIds.concat(pair.wordIds);
    this.offsets = this.offsets.concat(pair.offsets.map(([s, e]): Offsets => [s + shift, e + shift]));
    this.specialTokensMask = this.specialTokensMask.concat(pair.specialTokensMask);
    this.attentionMask = this.attentionMask.concat(pair.attentionMask);
    this.overflowing = overflowing;
  }

  /** Concatenate encodings (HF `Encoding::merge`). */
  static merge(encodings: readonly Encoding[], growingOffsets = false): Encoding {
    const out = new Encoding();
    for (const e of encodings) out.mergeWith(e, growingOffsets);
    return out;
  }
}
