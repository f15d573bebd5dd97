import { describe, expect, it } from 'vitest';
import { ConfigError, Linear, Rng, ShapeError, StateDictError, loadSafetensors, saveSafetensors, tf } from '@lmkit/tensor';
import { disposeAfterEach, expectClose, expectNoLeak, testValues } from '@lmkit/testing';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { RNN } from './rnn.js';

const [B, T, IN, H] = [2, 5, 3, 4];
const input = (seed = 1) => tf.tensor(testValues(B * T * IN, seed), [B, T, IN]);

describe('RecurrentLayer: bad input names the expected and actual shapes', () => {
  disposeAfterEach();
  const layers = [
    () => new RNN({ inputSize: IN, hiddenSize: H }),
    () => new LSTM({ inputSize: IN, hiddenSize: H, bidirectional: true }),
    () => new GRU({ inputSize: IN, hiddenSize: H, numLayers: 2 }),
  ];
  for (const make of layers) {
    const layer = make();
    const name = layer.constructor.name;
    const rows = layer.numLayers * layer.numDirections;
    layer.dispose();

    it(`${name}: wrong rank, feature size or empty input`, () => {
      const m = make();
      expect(() => m.forward(tf.zeros([B, IN]))).toThrow(ShapeError);
      expect(() => m.forward(tf.zeros([B, IN]))).toThrow(new RegExp(`${name}.forward\\(x\\): expected rank 3, got rank 2 \\(shape \\[2, 3\\]\\)`));
      expect(() => m.forward(tf.zeros([B, T, IN + 1]))).toThrow(new RegExp(`${name}.forward\\(x\\): expected last dimension 3, got shape \\[2, 5, 4\\]`));
      expect(() => m.forward(tf.zeros([B, 0, IN]))).toThrow(/expected at least one batch row and one step, got shape \[2, 0, 3\]/);
      m.dispose();
    });

    it(`${name}: lengths longer than T or not one per row`, () => {
      const m = make();
      const x = input();
      expect(() => m.forward(x, { lengths: [5, 6] })).toThrow(ShapeError);
      expect(() => m.forward(x, { lengths: [5, 6] })).toThrow(new RegExp(`${name}.forward\\(lengths\\)\\[1\\]: expected an integer in \\[0, 5\\] \\(T = 5 steps\\), got 6`));
      expect(() => m.forward(x, { lengths: [5, 2, 1] })).toThrow(new RegExp(`${name}.forward\\(lengths\\): expected 2 lengths \\(one per batch row\\), got 3`));
      expect(() => m.forward(x, { lengths: [5, 1.5] })).toThrow(/got 1.5/);
      m.dispose();
    });

    it(`${name}: initial state of the wrong shape`, () => {
      const m = make();
      const x = input();
      const h = tf.zeros([rows, B + 1, H]);
      const initialState = { h, c: h };
      expect(() => m.forward(x, { initialState })).toThrow(ShapeError);
      expect(() => m.forward(x, { initialState })).toThrow(
        new RegExp(`${name}.forward\\(initialState\\).h: expected shape \\[${rows}, 2, 4\\], got shape \\[${rows}, 3, 4\\]`),
      );
      m.dispose();
    });

    it(`${name}: loadStateDict from a model with another hidden size`, () => {
      const m = make();
      const other = new (m.constructor as new (c: { inputSize: number; hiddenSize: number }) => typeof m)({ inputSize: IN, hiddenSize: 2 * H });
      expect(() => m.loadStateDict(other.stateDict())).toThrow(StateDictError);
      const gates = m.namedParameters()[0]![1].shape[0]! / H;
      expect(() => m.loadStateDict(other.stateDict())).toThrow(`weight_ih_l0: expected shape [${gates * H}, 3], got [${gates * 2 * H}, 3]`);
      expect(() => m.loadStateDict(other.stateDict())).toThrow(`weight_hh_l0: expected shape [${gates * H}, 4], got [${gates * 2 * H}, 8]`);
      m.dispose();
      other.dispose();
    });
  }

  it('LSTM: an initial state without c', () => {
    const m = new LSTM({ inputSize: IN, hiddenSize: H });
    const h = tf.zeros([1, B, H]);
    expect(() => m.forward(input(), { initialState: { h } as never })).toThrow(/LSTM.forward\(initialState\).c: expected a tensor of shape \[1, 2, 4\], got undefined/);
    m.dispose();
  });

  it('bad configs name the field and the allowed range', () => {
    expect(() => new LSTM({ inputSize: 0, hiddenSize: H })).toThrow(ConfigError);
    expect(() => new LSTM({ inputSize: 0, hiddenSize: H })).toThrow(/LSTM.inputSize: expected an integer ≥ 1, got 0/);
    expect(() => new GRU({ inputSize: IN, hiddenSize: 2.5 })).toThrow(/GRU.hiddenSize: expected an integer ≥ 1, got 2.5/);
    expect(() => new RNN({ inputSize: IN, hiddenSize: H, numLayers: 0 })).toThrow(/RNN.numLayers: expected an integer ≥ 1, got 0/);
    expect(() => new RNN({ inputSize: IN, hiddenSize: H, dropout: 1 })).toThrow(/RNN.dropout: expected a number in \[0, 1\), got 1/);
    expect(() => new GRU({ inputSize: IN, hiddenSize: H, bidirectional: 'yes' as never })).toThrow(/GRU.bidirectional: expected a boolean, got "yes"/);
    expect(() => new LSTM({ inputSize: IN, hiddenSize: H, bias: 0 as never })).toThrow(/LSTM.bias: expected a boolean, got 0/);
  });
});

describe('RecurrentLayer', () => {
  disposeAfterEach();

  it('the same seed gives the same weights; PyTorch init bounds ±1/√H', async () => {
    const [a, b, c] = [1, 1, 2].map((seed) => new GRU({ inputSize: IN, hiddenSize: H, rng: new Rng(seed) }));
    expect(await a!.parameters()[1]!.data()).toEqual(await b!.parameters()[1]!.data());
    expect(await a!.parameters()[1]!.data()).not.toEqual(await c!.parameters()[1]!.data());
    for (const p of a!.parameters()) expect(Math.max(...Array.from(await p.data(), Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(H));
    [a, b, c].forEach((m) => m!.dispose());
  });

  it('full-length lengths give exactly the unpadded result', async () => {
    const lstm = new LSTM({ inputSize: IN, hiddenSize: H, bidirectional: true });
    const x = input();
    const plain = lstm.forward(x);
    const padded = lstm.forward(x, { lengths: [T, T] });
    await expectClose(padded.output, plain.output, 0, 0);
    await expectClose(padded.state.c, plain.state.c, 0, 0);
    lstm.dispose();
  });

  it('a row of length 0 gives zero outputs and keeps its initial state', async () => {
    const gru = new GRU({ inputSize: IN, hiddenSize: H, bidirectional: true });
    const h0 = tf.tensor(testValues(2 * B * H, 4), [2, B, H]);
    const { output, state } = gru.forward(input(), { initialState: { h: h0 }, lengths: [0, 3] });
    await expectClose(tf.slice(output, [0, 0, 0], [1, T, 2 * H]), tf.zeros([1, T, 2 * H]), 0, 0);
    await expectClose(tf.slice(state.h, [0, 0, 0], [2, 1, H]), tf.slice(h0, [0, 0, 0], [2, 1, H]), 0, 0);
    gru.dispose();
  });

  it('steps past the longest row are skipped: same as running the truncated batch, zeros after', async () => {
    const gru = new GRU({ inputSize: IN, hiddenSize: H, bidirectional: true });
    const x = input();
    const lengths = [3, 2];
    const padded = gru.forward(x, { lengths });
    const short = gru.forward(tf.slice(x, [0, 0, 0], [B, 3, IN]), { lengths });
    await expectClose(tf.slice(padded.output, [0, 0, 0], [B, 3, 2 * H]), short.output, 0, 0);
    await expectClose(tf.slice(padded.output, [0, 3, 0], [B, T - 3, 2 * H]), tf.zeros([B, T - 3, 2 * H]), 0, 0);
    await expectClose(padded.state.h, short.state.h, 0, 0);
    const grads = tf.grads((v: tf.Tensor) => tf.sum(gru.forward(v, { lengths }).output))([x]);
    await expectClose(tf.slice(grads[0]!, [0, 3, 0], [B, T - 3, IN]), tf.zeros([B, T - 3, IN]), 0, 0);
    gru.dispose();
  });

  it('weights saved as safetensors load into a fresh layer and give the same output', async () => {
    const a = new LSTM({ inputSize: IN, hiddenSize: H, projSize: 2, bidirectional: true, rng: new Rng(3) });
    const b = new LSTM({ inputSize: IN, hiddenSize: H, projSize: 2, bidirectional: true, rng: new Rng(4) });
    const { tensors } = loadSafetensors(await saveSafetensors(a.stateDict(), { format: 'pt' }));
    b.loadStateDict(tensors);
    await expectClose(b.forward(input()).output, a.forward(input()).output, 0, 0);
    [a, b].forEach((m) => m.dispose());
  });

  describe('inter-layer dropout', () => {
    const make = (dropout: number, numLayers = 2) => new LSTM({ inputSize: IN, hiddenSize: H, numLayers, dropout, rng: new Rng(9) });

    it('is off in eval mode and for the last layer', async () => {
      const [plain, dropped, single, singlePlain] = [make(0), make(0.5).eval(), make(0.5, 1), make(0, 1)];
      await expectClose(dropped.forward(input()).output, plain.forward(input()).output, 0, 0);
      await expectClose(single.forward(input()).output, singlePlain.forward(input()).output, 0, 0);
      [plain, dropped, single, singlePlain].forEach((m) => m.dispose());
    });

    it('changes the output in training mode, the same way for the same seed, differently on each call', async () => {
      const [plain, a, b] = [make(0), make(0.5), make(0.5)];
      const yA = await a.forward(input()).output.data();
      expect(yA).not.toEqual(await plain.forward(input()).output.data());
      expect(await b.forward(input()).output.data()).toEqual(yA);
      expect(await a.forward(input()).output.data()).not.toEqual(yA);
      [plain, a, b].forEach((m) => m.dispose());
    });

    it('does not leak', async () => {
      const m = make(0.3);
      const x = input();
      await expectNoLeak(() => tf.variableGrads(() => tf.sum(m.forward(x).output) as tf.Scalar));
      m.dispose();
    });
  });

  it('trains: a few Adam steps lower the loss, with a flat tensor count', async () => {
    const rng = new Rng(5);
    const lstm = new LSTM({ inputSize: IN, hiddenSize: H, numLayers: 2, dropout: 0.1, rng });
    const head = new Linear({ inFeatures: H, outFeatures: 1, rng });
    const x = tf.slice(input(), [0, 0, 0], [B, 3, IN]); // (B, 3, in)
    const target = tf.tensor(testValues(B * 3, 6), [B, 3, 1]);
    const params = [...lstm.parameters(), ...head.parameters()];
    const optimizer = tf.train.adam(0.05);
    const step = () =>
      optimizer.minimize(() => {
        const { output } = lstm.forward(x, { lengths: [3, 2] });
        return tf.mean(tf.square(tf.sub(head.forward(output), target))) as tf.Scalar;
      }, true, params)!;
    const first = step(); // creates Adam's moment variables
    const initialLoss = (await first.data())[0]!;
    first.dispose();
    const count = tf.memory().numTensors;
    let loss = initialLoss;
    for (let i = 0; i < 3; i++) {
      const value = step();
      loss = (await value.data())[0]!;
      value.dispose();
      expect(tf.memory().numTensors).toBe(count);
    }
    expect(loss).toBeLessThan(initialLoss);
    optimizer.dispose();
    lstm.dispose();
    head.dispose();
  });
});
