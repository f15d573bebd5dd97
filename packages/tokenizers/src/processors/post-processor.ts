/**
 * The post-processor stage: adds special tokens around the encoded sequence(s) and may adjust
 * offsets, then the pieces are merged into one encoding.
 *
 * Reference: the `PostProcessor` trait of Hugging Face `tokenizers` (`process_encodings`,
 * `added_tokens`, and the default `process`).
 */
import { Encoding } from '../encoding.js';

export interface PostProcessor {
  /** Rewrite `[first]` or `[first, pair]`; the results are merged in order. */
  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[];
}

export interface PostProcessorStage extends PostProcessor {
  /** How many special tokens `processEncodings` adds (truncation leaves room for them). */
  addedTokens(isPair: boolean): number;
  toJSON(): { type: string };
}

/** Run `processor` (or the default: nothing added) over `encoding` and `pair`, then merge. */
export function postProcess(processor: PostProcessorStage | null, encoding: Encoding, pair: Encoding | null, addSpecialTokens: boolean): Encoding {
  if (processor === null) {
    if (pair === null) return encoding;
    encoding.setSequenceId(0);
    pair.setSequenceId(1);
    encoding.mergeWith(pair, false);
    return encoding;
  }
  const encodings = pair === null ? [encoding] : [encoding, pair];
  encodings.forEach((e, i) => e.setSequenceId(i));
  const processed = processor.processEncodings(encodings, addSpecialTokens);
  return processed.length === 1 ? (processed[0] as Encoding) : Encoding.merge(processed, false);
}

/** An encoding of special tokens only (offsets (0, 0), special mask 1, no word). */
export function specialEncoding(ids: readonly number[], tokens: readonly string[], typeId: number): Encoding {
  const n = ids.length;
  return new Encoding(
    [...ids],
    new Array<number>(n).fill(typeId),
    [...tokens],
    new Array<number | null>(n).fill(null),
    Array.from({ length: n }, () => [0, 0]),
    new Array<number>(n).fill(1),
    new Array<number>(n).fill(1),
  );
}

/** `before` + `encoding` + `after`, with the sequence range of `seq` over the middle. */
export function wrap(encoding: Encoding, before: Encoding | null, after: Encoding | null, seq: number): Encoding {
  const parts = [before, encoding, after].filter((e): e is Encoding => e !== null);
  const out = Encoding.merge(parts.map((p) => (p === encoding ? withoutOverflow(p) : p)), false);
  const start = before?.length ?? 0;
  out.sequenceRanges = new Map([[seq, [start, start + encoding.length]]]);
  out.overflowing = encoding.overflowing.map((o) => wrap(o, before, after, seq));
  return out;
}

function withoutOverflow(e: Encoding): Encoding {
  const copy = e.clone();
  copy.overflowing = [];
  copy.sequenceRanges = new Map();
  return copy;
}
