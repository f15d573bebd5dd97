import { ShapeError, tf } from '@lmkit/tensor';
import { BACKEND } from '@lmkit/testing';
import { describe, expect, it } from 'vitest';
import { LogitsError } from './errors.js';
import { generate } from './generate.js';
import type { DecodingModel } from './model.js';
import { hashTable, TableModel, TinyAttention, TinyRnn, type Table } from './testing/toy-models.js';

/** A table model whose row `row` gets `value` at token 2 on step `step`. */
function poisoned(step: number, row: number, value: number): Table {
  const table = hashTable(5, 1);
  return (ids) => {
    const p = [...table(ids)];
    if (ids.length === step && ids[0] === row) p[2] = value;
    return p;
  };
}

describe('decode loop', () => {
  // On the software GPU (SwiftShader) a step costs ~0.15 s, so webgpu runs 100 steps, the others 500.
  const LONG = BACKEND === 'webgpu' ? 100 : 500;

  it(`keeps the tensor count flat over a ${LONG}-token generation and leaks nothing`, async () => {
    const model = new TinyRnn(16, 8, 1, true);
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const { sequences } = await generate(model, [[1, 2]], {
      maxNewTokens: LONG, doSample: true, seed: 3, temperature: 0.8, topK: 8, topP: 0.9, repetitionPenalty: 1.1,
      logitsProcessors: [(_ids, logits) => (counts.push(tf.memory().numTensors), logits)],
    });
    expect(sequences[0]!.length).toBe(LONG + 2);
    expect(Math.max(...counts)).toBe(Math.min(...counts));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('leaks nothing with a KV cache and beams either', async () => {
    const model = new TinyAttention(12, 8, 2, true);
    const before = tf.memory().numTensors;
    await generate(model, [[1, 2], [3, 4]], { maxNewTokens: BACKEND === 'webgpu' ? 10 : 60, numBeams: 3, eosTokenId: 0 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('NaN or +Infinity logits are an error naming the step and row; the tensors and state are freed', async () => {
    for (const [value, what] of [[NaN, 'NaN'], [Infinity, '+Infinity']] as const) {
      // Row 1 (prompt [3]) reaches 3 tokens at step 3.
      const model = new TableModel(poisoned(3, 3, value));
      const before = tf.memory().numTensors;
      const run = generate(model, [[1], [3]], { maxNewTokens: 5 });
      await expect(run).rejects.toThrow(LogitsError);
      await expect(generate(new TableModel(poisoned(3, 3, value)), [[1], [3]], { maxNewTokens: 5 })).rejects.toThrow(
        `logits at step 3, row 1: ${what} at token 2`,
      );
      expect(tf.memory().numTensors).toBe(before);
      expect(model.released).toBe(1);
    }
  });

  it('a row whose every token is masked is an error naming the step and row', async () => {
    await expect(generate(new TableModel(hashTable(2, 1)), [[0], [1]], { badWordsIds: [[1, 0], [1, 1]], maxNewTokens: 3 })).rejects.toThrow(
      /logits at step 1, row 1: every token is masked after the logits processors/,
    );
  });

  it('logits of the wrong shape, dtype or vocabulary size are a ShapeError', async () => {
    const returning = (make: (step: number, rows: number) => tf.Tensor): DecodingModel<number> => ({
      step: (tokens, state) => ({ logits: make((state ?? 0) + 1, tokens.length), state: (state ?? 0) + 1 }),
    });
    const before = tf.memory().numTensors;
    await expect(generate(returning(() => tf.zeros([3])), [1])).rejects.toThrow('model.step logits (step 1): expected shape [1, V], got shape [3]');
    await expect(generate(returning(() => tf.zeros([2, 4])), [1])).rejects.toThrow(ShapeError);
    await expect(generate(returning((_s, rows) => tf.zeros([rows, 4], 'int32')), [1])).rejects.toThrow(/dtype float32/);
    await expect(generate(returning((s, rows) => tf.zeros([rows, s === 3 ? 5 : 4])), [1], { maxNewTokens: 5 })).rejects.toThrow(
      'model.step logits (step 3): expected shape [1, 4], got shape [1, 5]',
    );
    await expect(generate({ step: () => ({ logits: [[0]] as unknown as tf.Tensor, state: 0 }) }, [1])).rejects.toThrow(/a Tensor \[B, V\]/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a processor that returns something other than a row is a ShapeError', async () => {
    await expect(generate(new TableModel(hashTable(4, 1)), [1], { logitsProcessors: [() => new Float32Array(3)] })).rejects.toThrow(
      /a logits processor: expected to return a Float32Array of length 4/,
    );
  });

  it('awaits async models', async () => {
    const table = hashTable(6, 2);
    const sync = new TableModel(table);
    const async: DecodingModel<number[][]> = {
      step: async (tokens, state) => sync.step(tokens, state),
      reorder: async (state, rows) => sync.reorder(state, rows),
    };
    const a = await generate(async, [[1], [2]], { maxNewTokens: 4, numBeams: 2 });
    const b = await generate(new TableModel(table), [[1], [2]], { maxNewTokens: 4, numBeams: 2 });
    expect(a.sequences).toEqual(b.sequences);
  });
});
