/**
 * NFC / NFD / NFKC / NFKD normalizers, keeping alignments.
 *
 * Reference: HF `normalizers/unicode.rs` (via `unicode-normalization-alignments`).
 * Porting note: JavaScript's `String.prototype.normalize` gives no alignments, so the text is
 * cut into segments that each start at a non-mark character; a segment whose characters
 * normalize independently keeps per-character alignments, otherwise (reordered or composed
 * marks) its output aligns to the whole segment.
 */
import { AlignedBuilder, type NormalizedString } from '../normalized-string.js';
import type { NormalizerStage } from './normalizer.js';

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/** Marks and conjoining Hangul vowels/trailers attach to the character before them. */
const ATTACHES = /[\p{M}\u1160-\u11ff\ud7b0-\ud7ff]/u;

export class UnicodeFormNormalizer implements NormalizerStage {
  constructor(readonly form: UnicodeForm) {}

  normalize(input: NormalizedString): NormalizedString {
    return normalizeForm(input, this.form);
  }

  toJSON(): { type: UnicodeForm } {
    return { type: this.form };
  }
}

/** `input` in Unicode normalization form `form`, alignments kept. */
export function normalizeForm(input: NormalizedString, form: UnicodeForm): NormalizedString {
  const { text } = input;
  if (text.normalize(form) === text) return input;
  const out = new AlignedBuilder(text.length);
  const chars = Array.from(text);
  let unit = 0;
  for (let c = 0; c < chars.length; ) {
    let end = c + 1;
    while (end < chars.length && ATTACHES.test(chars[end] as string)) end++;
    const segment = chars.slice(c, end);
    const segLength = segment.reduce((n, ch) => n + ch.length, 0);
    const whole = segment.join('').normalize(form);
    const each = segment.map((ch) => ch.normalize(form));
    if (segment.length === 1 || each.join('') !== whole) {
      out.push(whole, input.startOf(unit), input.endOf(unit + segLength - 1));
    } else {
      let u = unit;
      for (let k = 0; k < segment.length; k++) {
        const ch = segment[k] as string;
        const rep = each[k] as string;
        if (rep === ch) out.copy(input, u, u + ch.length);
        else out.push(rep, input.startOf(u), input.endOf(u + ch.length - 1));
        u += ch.length;
      }
    }
    unit += segLength;
    c = end;
  }
  return out.build(input.originalRange(0, 0)[0]);
}
