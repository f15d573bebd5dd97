import { tf } from '@lmkit/tensor';
import { BACKEND } from '@lmkit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, stream } from './generate.js';
import type { DecodingModel } from './model.js';
import { hashTable, TableModel, TinyAttention, TinyRnn, type Table } from './testing/toy-models.js';

/** Greedy decoding written out on the table: argmax of each prefix, first id on ties. */
function greedyReference(table: Table, prompt: number[], steps: number, eos: readonly number[] = []): number[] {
  const ids = [...prompt];
  for (let s = 0; s < steps; s++) {
    const p = table(ids);
    const t = p.indexOf(Math.max(...p));
    ids.push(t);
    if (eos.includes(t)) break;
  }
  return ids;
}

describe('generate: greedy', () => {
  const table = hashTable(7, 5);

  it('takes the argmax of every step, for ragged batches', async () => {
    const prompts = [[1], [2, 3, 4], [0, 6]];
    const { sequences } = await generate(new TableModel(table), prompts, { maxNewTokens: 6 });
    expect(sequences).toEqual(prompts.map((p) => greedyReference(table, p, 6)));
  });

  it('accepts one prompt as a flat array', async () => {
    const { sequences } = await generate(new TableModel(table), [4, 4], { maxNewTokens: 3 });
    expect(sequences).toEqual([greedyReference(table, [4, 4], 3)]);
  });

  it('feeds the prompts first, then one token per row, and releases the last state once', async () => {
    const model = new TableModel(table);
    const { sequences } = await generate(model, [[1], [2, 3]], { maxNewTokens: 3 });
    expect(model.calls).toEqual([
      [[1], [2, 3]],
      [[sequences[0]![1]!], [sequences[1]![2]!]],
      [[sequences[0]![2]!], [sequences[1]![3]!]],
    ]);
    expect(model.released).toBe(1);
  });

  it('ends a row at any of its EOS ids, keeping the EOS, while other rows go on', async () => {
    const eosTable: Table = (ids) => (ids.length === 3 && ids[0] === 1 ? [0.1, 0.1, 0.7, 0.1] : [0.4, 0.2, 0.1, 0.3]);
    const model = new TableModel(eosTable);
    const { sequences } = await generate(model, [[1], [0]], { maxNewTokens: 4, eosTokenId: [2, 3] });
    expect(sequences).toEqual([[1, 0, 0, 2], [0, 0, 0, 0, 0]]);
    // The finished row is fed its last token again while the other row finishes.
    expect(model.calls[3]).toEqual([[2], [0]]);
  });

  it('stops calling the model when every row is done', async () => {
    const model = new TableModel(() => [0.1, 0.9]);
    const { sequences } = await generate(model, [[0], [0]], { maxNewTokens: 10, eosTokenId: 1 });
    expect(sequences).toEqual([[0, 1], [0, 1]]);
    expect(model.calls.length).toBe(1);
  });

  it('minNewTokens masks EOS until enough tokens are generated', async () => {
    const { sequences } = await generate(new TableModel(() => [0.2, 0.1, 0.7]), [0], { maxNewTokens: 5, eosTokenId: 2, minNewTokens: 3 });
    expect(sequences).toEqual([[0, 0, 0, 0, 2]]);
  });

  it('runs the processors on raw logits: repetition penalty, no-repeat n-gram, bad words, logit bias', async () => {
    const flat: Table = () => [0.3, 0.25, 0.2, 0.15, 0.1];
    const run = async (options: object) => (await generate(new TableModel(flat), [4], { maxNewTokens: 4, ...options })).sequences[0];
    expect(await run({})).toEqual([4, 0, 0, 0, 0]);
    expect(await run({ noRepeatNgramSize: 1 })).toEqual([4, 0, 1, 2, 3]);
    expect(await run({ badWordsIds: [[0], [1, 2]] })).toEqual([4, 1, 1, 1, 1]);
    expect(await run({ logitBias: { 3: 5 } })).toEqual([4, 3, 3, 3, 3]);
    // ln 0.3 = −1.20 → ×1.2 = −1.44: below ln 0.25 = −1.39 but above 1's own −1.66 once 1 is seen.
    expect(await run({ repetitionPenalty: 1.2 })).toEqual([4, 0, 1, 0, 0]);
    expect(await run({ frequencyPenalty: 0.3 })).toEqual([4, 0, 1, 0, 2]);
  });

  it('outputScores: token log-probabilities of the processed distribution and their sum', async () => {
    const out = await generate(new TableModel(() => [0.5, 0.3, 0.2]), [1], { maxNewTokens: 2, outputScores: true, logitBias: { 1: Math.log(2) } });
    // Bias ×2 on token 1: [0.5, 0.6, 0.2] / 1.3.
    expect(out.sequences).toEqual([[1, 1, 1]]);
    out.tokenLogprobs![0]!.forEach((lp) => expect(lp).toBeCloseTo(Math.log(0.6 / 1.3), 5));
    expect(out.scores![0]).toBeCloseTo(2 * Math.log(0.6 / 1.3), 5);
    expect((await generate(new TableModel(table), [1], { maxNewTokens: 2 })).scores).toBeUndefined();
  });
});

describe('generate: stop strings', () => {
  // Tokens decode to multi-character pieces, so "cat" can span tokens: "c" + "at", "ca" + "t".
  const pieces = ['c', 'at', 'ca', 't', ' ', 'dog'];
  const decode = (ids: number[]) => ids.map((t) => pieces[t]).join('');
  /** A model that generates `tokens` after a prompt of `promptLength`, then spaces. */
  const script = (tokens: number[], promptLength = 1): Table => (ids) => {
    const next = tokens[ids.length - promptLength] ?? 4;
    return pieces.map((_, t) => (t === next ? 0.9 : 0.1 / (pieces.length - 1)));
  };

  it('matches a stop string across token boundaries and keeps the completing token', async () => {
    const { sequences } = await generate(new TableModel(script([5, 4, 0, 1, 4, 5])), [4], { maxNewTokens: 6, stopStrings: ['cat'], decode });
    expect(sequences).toEqual([[4, 5, 4, 0, 1]]);
    const other = await generate(new TableModel(script([2, 3, 4, 5])), [4], { maxNewTokens: 6, stopStrings: ['cat', 'zebra'], decode });
    expect(other.sequences).toEqual([[4, 2, 3]]);
  });

  it('matches a stop string that ends inside the last token, and ignores the prompt', async () => {
    const { sequences } = await generate(new TableModel(script([2, 1, 5], 2)), [0, 1], { maxNewTokens: 3, stopStrings: ['caa'], decode });
    expect(sequences).toEqual([[0, 1, 2, 1]]); // "ca" + "at" contains "caa"
    const fromPrompt = await generate(new TableModel(script([5, 5], 2)), [0, 1], { maxNewTokens: 2, stopStrings: ['cat'], decode });
    expect(fromPrompt.sequences).toEqual([[0, 1, 5, 5]]);
  });
});

describe('generate: stateful models give the text of recomputing from scratch', () => {
  const V = 12;
  const H = 8;
  const models = [
    new TinyRnn(V, H, 3, true), new TinyRnn(V, H, 3, false),
    new TinyAttention(V, H, 4, true), new TinyAttention(V, H, 4, false),
  ];
  afterAll(() => models.forEach((m) => m.dispose()));
  const [rnnState, rnnRecompute, attCached, attRecompute] = models as [TinyRnn, TinyRnn, TinyAttention, TinyAttention];
  const prompts = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
  const steps = BACKEND === 'webgpu' ? 6 : 16; // the software GPU compiles a shader per new shape

  it('RNN: carried hidden state = rerunning the RNN (greedy)', async () => {
    const a = await generate(rnnState, prompts, { maxNewTokens: steps });
    const b = await generate(rnnRecompute, prompts, { maxNewTokens: steps });
    expect(a.sequences).toEqual(b.sequences);
    expect(new Set(a.sequences.flatMap((s) => s.slice(3))).size).toBeGreaterThan(2); // not a constant stream
  });

  it('attention: KV cache = recomputing keys and values (greedy)', async () => {
    const a = await generate(attCached, prompts, { maxNewTokens: steps });
    const b = await generate(attRecompute, prompts, { maxNewTokens: steps });
    expect(a.sequences).toEqual(b.sequences);
    expect(new Set(a.sequences.flatMap((s) => s.slice(3))).size).toBeGreaterThan(2);
  });

  it('beam search reorders carried state correctly (RNN and KV cache)', async () => {
    const options = { numBeams: 3, numReturnSequences: 2, maxNewTokens: steps / 2, eosTokenId: 0, outputScores: true };
    const pairs: [DecodingModel<unknown>, DecodingModel<unknown>][] = [[rnnState, rnnRecompute], [attCached, attRecompute]];
    for (const [stateful, fresh] of pairs) {
      const a = await generate(stateful, prompts, options);
      const b = await generate(fresh, prompts, options);
      expect(a.sequences).toEqual(b.sequences);
      a.scores!.forEach((s, i) => expect(s).toBeCloseTo(b.scores![i]!, 4));
    }
  });

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await generate(attCached, prompts, { maxNewTokens: 4, numBeams: 2 });
    await generate(rnnState, prompts, { maxNewTokens: 4 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('stream', () => {
  const table = hashTable(9, 8);

  it('yields the tokens generate() chooses, one per step', async () => {
    const model = new TableModel(table);
    const got: number[] = [];
    for await (const token of stream(model, [1, 2], { maxNewTokens: 5 })) {
      got.push(token);
      expect(model.calls.length).toBe(got.length); // a token comes out as soon as it is chosen
    }
    const { sequences } = await generate(new TableModel(table), [1, 2], { maxNewTokens: 5 });
    expect(got).toEqual(sequences[0]!.slice(2));
  });

  it('stops when the consumer breaks out, and releases the model state', async () => {
    const model = new TableModel(table);
    for await (const _ of stream(model, [1], { maxNewTokens: 50 })) if (model.calls.length === 3) break;
    expect(model.calls.length).toBe(3);
    expect(model.released).toBe(1);
  });

  it('is cancelled by an AbortSignal: the iterator throws its reason and the state is released', async () => {
    const model = new TableModel(table);
    const controller = new AbortController();
    const got: number[] = [];
    const run = async () => {
      for await (const token of stream(model, [1], { maxNewTokens: 50, signal: controller.signal })) {
        got.push(token);
        if (got.length === 4) controller.abort();
      }
    };
    await expect(run()).rejects.toThrow(/abort/i);
    expect(got.length).toBe(4);
    expect(model.released).toBe(1);
  });

  it('generate() is cancellable too', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user cancelled'));
    await expect(generate(new TableModel(table), [1], { signal: controller.signal })).rejects.toThrow('user cancelled');
  });

  it('serves one greedy or sampled sequence and says so otherwise', () => {
    const model = new TableModel(table);
    expect(() => stream(model, [[1], [2]])).toThrow(/prompt: expected one sequence for stream\(\)/);
    expect(() => stream(model, [1], { numBeams: 2 })).toThrow(/numBeams: expected 1 for stream\(\)/);
    expect(() => stream(model, [1], { doSample: true, numReturnSequences: 2 })).toThrow(/numReturnSequences/);
  });
});
