/**
 * Toy models for the decoding tests (test-only, not built): a model given as an explicit
 * probability table over prefixes, a tiny RNN and a tiny KV-cached attention model — each either
 * carrying state between steps or recomputing from the whole history — and a masked LM.
 */
import { Rng, tf, type Tensor } from '@lmkit/tensor';
import type { DecodingModel, MaskedLanguageModel, StepOutput } from '../model.js';

/** A distribution over the vocabulary for a whole prefix (prompt + generated tokens). */
export type Table = (ids: readonly number[]) => readonly number[];

/**
 * Logits = log(table(prefix)) per row. Its state is the rows' token histories (no tensors), so it
 * is the "recompute from scratch" model; it records every `step` and `reorder` call.
 */
export class TableModel implements DecodingModel<number[][]> {
  readonly calls: number[][][] = [];
  readonly reorders: number[][] = [];
  released = 0;

  constructor(private readonly table: Table) {}

  step(tokens: number[][], state: number[][] | undefined): StepOutput<number[][]> {
    this.calls.push(tokens.map((t) => [...t]));
    const histories = state === undefined ? tokens.map((t) => [...t]) : state.map((h, i) => [...h, ...tokens[i]!]);
    const logits = tf.tensor2d(histories.map((h) => this.table(h).map((p) => Math.log(p))));
    return { logits, state: histories };
  }

  reorder(state: number[][], rows: number[]): number[][] {
    this.reorders.push([...rows]);
    return rows.map((r) => state[r]!);
  }

  releaseState(): void {
    this.released++;
  }
}

/**
 * A pseudo-random table: a fixed distribution for every prefix, from a hash of the prefix, with
 * `eosMass` extra weight on each EOS id so that hypotheses finish at many lengths.
 */
export function hashTable(V: number, seed: number, eosIds: readonly number[] = [], eosMass = 0): Table {
  return (ids) => {
    let h = seed >>> 0;
    for (const t of ids) h = Math.imul(h ^ (t + 0x9e3779b9), 0x85ebca6b) >>> 0;
    const rng = new Rng(h | 0);
    const w = Array.from({ length: V }, () => 0.05 + rng.uniform() ** 2);
    const total = w.reduce((a, b) => a + b, 0);
    for (const e of eosIds) w[e]! += eosMass * total;
    const sum = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / sum);
  };
}

/** The same fixed logits for every row and step (a unigram model). */
export class UnigramModel implements DecodingModel<undefined> {
  steps = 0;
  constructor(private readonly logits: readonly number[]) {}

  step(tokens: number[][]): StepOutput<undefined> {
    this.steps++;
    const row = tf.tensor1d([...this.logits]);
    const logits = tf.tidy(() => tf.tile(row.expandDims(0), [tokens.length, 1]));
    row.dispose();
    return { logits, state: undefined };
  }
}

interface RnnWeights {
  readonly E: Tensor; // [V, H]
  readonly W: Tensor; // [H, H]
  readonly Wo: Tensor; // [H, V]
}

function rnnWeights(V: number, H: number, seed: number): RnnWeights {
  const rng = new Rng(seed);
  return { E: rng.randomNormal([V, H], 0, 1), W: rng.randomNormal([H, H], 0, 1 / Math.sqrt(H)), Wo: rng.randomNormal([H, V], 0, 2 / Math.sqrt(H)) };
}

/** h ← tanh(E[x] + h·W) over the columns of `tokens` (`[B][T]`, equal lengths). */
function rnnRun(w: RnnWeights, tokens: number[][], h0: Tensor | undefined): Tensor {
  const B = tokens.length;
  const H = w.W.shape[0]!;
  return tf.tidy(() => {
    let h = h0 ?? tf.zeros([B, H]); // [B, H]
    for (let t = 0; t < tokens[0]!.length; t++) {
      const x = tf.gather(w.E, tf.tensor1d(tokens.map((row) => row[t]!), 'int32')); // [B, H]
      h = tf.tanh(tf.add(x, tf.matMul(h, w.W)));
    }
    return h;
  });
}

function equalLengths(tokens: number[][]): void {
  if (!tokens.every((t) => t.length === tokens[0]!.length)) throw new Error('toy models need equal-length prompts');
}

/**
 * A tiny Elman RNN LM. `carryState`: the state is the hidden tensor `[B, H]`, advanced by one
 * token per step and gathered on `reorder`; otherwise the state is the token histories and every
 * step reruns the RNN from scratch.
 */
export class TinyRnn implements DecodingModel<Tensor | number[][]> {
  private readonly w: RnnWeights;

  constructor(V: number, H: number, seed: number, private readonly carryState: boolean) {
    this.w = rnnWeights(V, H, seed);
  }

  step(tokens: number[][], state: Tensor | number[][] | undefined): StepOutput<Tensor | number[][]> {
    equalLengths(tokens);
    if (this.carryState) {
      const h = rnnRun(this.w, tokens, state as Tensor | undefined);
      (state as Tensor | undefined)?.dispose();
      return { logits: tf.tidy(() => tf.matMul(h, this.w.Wo)), state: h };
    }
    const histories = state === undefined ? tokens.map((t) => [...t]) : (state as number[][]).map((h, i) => [...h, ...tokens[i]!]);
    const logits = tf.tidy(() => tf.matMul(rnnRun(this.w, histories, undefined), this.w.Wo));
    return { logits, state: histories };
  }

  reorder(state: Tensor | number[][], rows: number[]): Tensor | number[][] {
    if (!this.carryState) return rows.map((r) => (state as number[][])[r]!);
    const next = tf.tidy(() => tf.gather(state as Tensor, tf.tensor1d(rows, 'int32')));
    (state as Tensor).dispose();
    return next;
  }

  releaseState(state: Tensor | number[][]): void {
    if (this.carryState) (state as Tensor).dispose();
  }

  dispose(): void {
    tf.dispose([this.w.E, this.w.W, this.w.Wo]);
  }
}

interface KvCache {
  readonly keys: Tensor; // [B, T, H]
  readonly values: Tensor; // [B, T, H]
}

/**
 * A one-head attention LM over token embeddings. `cached`: the state is the key/value cache,
 * extended by one position per step (the KV-cache pattern of a transformer decoder); otherwise
 * the state is the token histories and every step recomputes keys and values for all of them.
 */
export class TinyAttention implements DecodingModel<KvCache | number[][]> {
  private readonly E: Tensor; // [V, H]
  private readonly Wq: Tensor; // [H, H]
  private readonly Wk: Tensor; // [H, H]
  private readonly Wv: Tensor; // [H, H]
  private readonly Wo: Tensor; // [H, V]

  constructor(V: number, private readonly H: number, seed: number, private readonly cached: boolean) {
    const rng = new Rng(seed);
    const s = 1 / Math.sqrt(H);
    this.E = rng.randomNormal([V, H], 0, 1);
    this.Wq = rng.randomNormal([H, H], 0, s);
    this.Wk = rng.randomNormal([H, H], 0, s);
    this.Wv = rng.randomNormal([H, H], 0, s);
    this.Wo = rng.randomNormal([H, V], 0, 2 * s);
  }

  /** Keys and values of `tokens` (`[B][T]`): [B, T, H] each. */
  private project(tokens: number[][]): KvCache {
    const B = tokens.length;
    const T = tokens[0]!.length;
    return tf.tidy(() => {
      const x = tf.gather(this.E, tf.tensor1d(tokens.flat(), 'int32')); // [B·T, H]
      return { keys: tf.matMul(x, this.Wk).reshape([B, T, this.H]), values: tf.matMul(x, this.Wv).reshape([B, T, this.H]) };
    });
  }

  /** Next-token logits from the last tokens' queries over the cache: [B, V]. */
  private attend(last: number[], cache: KvCache): Tensor {
    return tf.tidy(() => {
      const x = tf.gather(this.E, tf.tensor1d(last, 'int32')); // [B, H]
      const q = tf.matMul(x, this.Wq).expandDims(1); // [B, 1, H]
      const att = tf.softmax(tf.div(tf.matMul(q, cache.keys, false, true), Math.sqrt(this.H))); // [B, 1, T]
      const ctx = tf.matMul(att, cache.values).squeeze([1]); // [B, H]
      return tf.matMul(tf.tanh(tf.add(ctx, x)), this.Wo); // [B, V]
    });
  }

  step(tokens: number[][], state: KvCache | number[][] | undefined): StepOutput<KvCache | number[][]> {
    equalLengths(tokens);
    const last = tokens.map((t) => t[t.length - 1]!);
    if (this.cached) {
      const fresh = this.project(tokens);
      const old = state as KvCache | undefined;
      const cache = old === undefined ? fresh : {
        keys: tf.concat([old.keys, fresh.keys], 1),
        values: tf.concat([old.values, fresh.values], 1),
      };
      if (old !== undefined) tf.dispose([old.keys, old.values, fresh.keys, fresh.values]);
      return { logits: this.attend(last, cache), state: cache };
    }
    const histories = state === undefined ? tokens.map((t) => [...t]) : (state as number[][]).map((h, i) => [...h, ...tokens[i]!]);
    const cache = this.project(histories);
    const logits = this.attend(last, cache);
    tf.dispose([cache.keys, cache.values]);
    return { logits, state: histories };
  }

  reorder(state: KvCache | number[][], rows: number[]): KvCache | number[][] {
    if (!this.cached) return rows.map((r) => (state as number[][])[r]!);
    const old = state as KvCache;
    const next = tf.tidy(() => {
      const index = tf.tensor1d(rows, 'int32');
      return { keys: tf.gather(old.keys, index), values: tf.gather(old.values, index) };
    });
    tf.dispose([old.keys, old.values]);
    return next;
  }

  releaseState(state: KvCache | number[][]): void {
    if (this.cached) tf.dispose([(state as KvCache).keys, (state as KvCache).values]);
  }

  dispose(): void {
    tf.dispose([this.E, this.Wq, this.Wk, this.Wv, this.Wo]);
  }
}

/** A masked LM whose logits at position i for token t are `score(ids, i, t)`. */
export class TableMaskedLM implements MaskedLanguageModel {
  constructor(private readonly score: (ids: readonly number[], position: number, token: number) => number, private readonly V: number) {}

  logits(tokens: number[][]): Tensor {
    const values = tokens.map((ids) => ids.map((_, i) => Array.from({ length: this.V }, (_, t) => this.score(ids, i, t))));
    return tf.tensor3d(values);
  }
}
