/**
 * The one decoding loop: feed the model, read the step's logits once, let a search strategy
 * (greedy/sampling or beam search) choose tokens, reorder the model's state when beams moved,
 * and repeat until the strategy is done. It is an async generator of the tokens chosen at each
 * step, so `generate()` drains it and `stream()` hands it to the user.
 *
 * Reference: transformers.js `generate()` (processors, sampler, stopping criteria and streamer
 * are separate parts; one loop ties them together); Hugging Face `GenerationMixin`.
 * Porting note: logits are read once per step into a Float32Array (`await data()`, which every
 * backend supports) and disposed at once; everything after that runs in plain JavaScript.
 */
import { ShapeError, type Tensor } from '@lmkit/tensor';
import { LogitsError } from './errors.js';
import type { DecodingModel } from './model.js';

/** A token chosen for a row at one step. */
export interface ChosenToken {
  readonly row: number;
  readonly token: number;
}

/** A search strategy: what to feed the model, and what to make of each step's logits. */
export interface Strategy {
  /** The next `tokens` argument of `model.step`: the prompts first, then one token per row. */
  input(): number[][];
  /** Chooses tokens from the step's logits (`[rows · V]`, row-major), 1-based `step`. */
  advance(logits: Float32Array, vocabSize: number, step: number): readonly ChosenToken[];
  /** The rows of the current state the next input continues, when they changed (beams). */
  takeReorder(): number[] | undefined;
  /** No more steps are needed. */
  readonly done: boolean;
}

/** Runs `strategy` on `model` until it is done; yields the tokens chosen at each step. */
export async function* decodeLoop<S>(
  model: DecodingModel<S>,
  strategy: Strategy,
  signal: AbortSignal | undefined,
): AsyncGenerator<readonly ChosenToken[], void, undefined> {
  const reader = new LogitsReader();
  let state: S | undefined;
  let started = false;
  try {
    for (let step = 1; ; step++) {
      signal?.throwIfAborted();
      const tokens = strategy.input();
      const out = await model.step(tokens, state);
      started = true;
      state = out.state;
      const logits = await reader.read(out.logits, tokens.length, step);
      yield strategy.advance(logits, reader.vocabSize, step);
      if (strategy.done) return;
      const rows = strategy.takeReorder();
      if (rows !== undefined) state = await model.reorder!(state, rows);
    }
  } finally {
    if (started) await model.releaseState?.(state as S);
  }
}

/** Reads `[B, V]` logits into a reused buffer, checks them, and disposes the tensor. */
class LogitsReader {
  vocabSize = 0;
  private buffer = new Float32Array(0);

  async read(logits: Tensor, rows: number, step: number): Promise<Float32Array> {
    if (typeof logits !== 'object' || logits === null || typeof (logits as Partial<Tensor>).data !== 'function') {
      throw new ShapeError(`model.step logits (step ${step})`, 'a Tensor [B, V]', String(logits));
    }
    try {
      const [B, V] = logits.shape;
      if (logits.rank !== 2 || B !== rows || V === undefined || V < 1 || (this.vocabSize > 0 && V !== this.vocabSize)) {
        const want = `shape [${rows}, ${this.vocabSize > 0 ? this.vocabSize : 'V'}]`;
        throw new ShapeError(`model.step logits (step ${step})`, want, `shape [${logits.shape.join(', ')}]`);
      }
      if (logits.dtype !== 'float32') throw new ShapeError(`model.step logits (step ${step})`, 'dtype float32', `dtype ${logits.dtype}`);
      this.vocabSize = V;
      const data = (await logits.data()) as Float32Array;
      // A copy: on the cpu backend data() is the tensor's own storage, which processors must not edit.
      if (this.buffer.length < data.length) this.buffer = new Float32Array(data.length);
      const out = this.buffer.subarray(0, data.length);
      out.set(data);
      for (let i = 0; i < out.length; i++) {
        // One comparison per logit: false for NaN and +Infinity (−Infinity masks are fine).
        if (!(out[i]! < Infinity)) {
          const what = Number.isNaN(out[i]) ? 'NaN' : '+Infinity';
          throw new LogitsError(`step ${step}, row ${Math.floor(i / V)}`, `${what} at token ${i % V} (the model produced non-finite logits)`);
        }
      }
      return out;
    } finally {
      logits.dispose();
    }
  }
}
