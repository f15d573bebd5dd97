/**
 * Test-only: checks a cell or layer against a PyTorch fixture case (../../fixtures/generate.py):
 * outputs, final states, and the gradients of the input, the initial state and every parameter
 * of loss = Σ output·G_output + Σ h_n·G_h (+ Σ c_n·G_c).
 */
import { expect } from 'vitest';
import { tf, type Module } from '@lmkit/tensor';
import { expectClose, fromNested, type Nested } from '@lmkit/testing';
import cells from '../../fixtures/cells.json' with { type: 'json' };
import type { RecurrentCell } from '../cell.js';
import type { HiddenState, RecurrentLayer } from '../recurrent-layer.js';

/** Within 1e-5 absolute plus 1e-5 relative, on every backend. */
export const TOLERANCE = { atol: 1e-5, rtol: 1e-5 } as const;

interface Grads {
  x: Nested;
  h0: Nested | null;
  c0: Nested | null;
  params: Record<string, Nested>;
}

export interface LayerCase {
  name: string;
  config: {
    input_size: number;
    hidden_size: number;
    num_layers: number;
    bias: boolean;
    bidirectional: boolean;
    nonlinearity?: 'tanh' | 'relu';
    proj_size?: number;
    reset_after?: boolean;
  };
  lengths: number[] | null;
  params: Record<string, Nested>;
  x: Nested;
  h0: Nested | null;
  c0: Nested | null;
  g_output: Nested;
  g_h: Nested;
  g_c: Nested | null;
  output: Nested;
  h_n: Nested;
  c_n: Nested | null;
  grads: Grads;
}

export interface CellCase {
  name: string;
  kind: 'rnn' | 'lstm' | 'gru' | 'gru_reset_before' | 'ln_lstm';
  nonlinearity: 'tanh' | 'relu';
  bias: boolean;
  params: Record<string, Nested>;
  x: Nested;
  h0: Nested | null;
  c0: Nested | null;
  g_h: Nested;
  g_c: Nested | null;
  h: Nested;
  c: Nested | null;
  grads: Grads;
}

/** The cell fixture cases of the given kinds. */
export function cellCases(...kinds: Array<CellCase['kind']>): CellCase[] {
  return (cells as unknown as CellCase[]).filter((c) => kinds.includes(c.kind));
}

/** Loads a fixture's PyTorch state dict (strict: every name and shape must match). */
export function loadParams(module: Module, params: Record<string, Nested>): void {
  const dict = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, fromNested(v)]));
  module.loadStateDict(dict);
  tf.dispose(Object.values(dict));
}

const nonNull = <T>(values: Array<T | null>): T[] => values.filter((v): v is T => v !== null);

/** Σ Σ a·g over pairs, as one scalar. */
function weightedSum(pairs: Array<[tf.Tensor, tf.Tensor]>): tf.Scalar {
  return tf.addN(pairs.map(([a, g]) => tf.sum(tf.mul(a, g)))) as tf.Scalar;
}

/**
 * Checks the input, initial-state and parameter gradients of `loss` against `want`, in one
 * backward pass (the inputs become variables for it). `loss` may `tf.keep` forward values to check.
 */
async function expectGradients(module: Module, loss: (inputs: tf.Tensor[]) => tf.Scalar, inputs: tf.Tensor[], want: Grads): Promise<void> {
  const inputVars = inputs.map((t) => tf.variable(t, true));
  const { value, grads } = tf.variableGrads(() => loss(inputVars), [...inputVars, ...module.parameters()]);
  const wantInputs = nonNull([want.x, want.h0, want.c0]);
  expect(inputVars).toHaveLength(wantInputs.length);
  for (const [i, v] of inputVars.entries()) await expectClose(grads[v.name]!, wantInputs[i]!, TOLERANCE.atol, TOLERANCE.rtol);
  const named = module.namedParameters();
  expect(named.map(([n]) => n).sort()).toEqual(Object.keys(want.params).sort());
  for (const [name, p] of named) await expectClose(grads[p.name]!, want.params[name]!, TOLERANCE.atol, TOLERANCE.rtol);
  tf.dispose([...inputVars, value, ...Object.values(grads)]);
}

/** Asserts each kept forward value matches its fixture (null: the module must not return it). */
async function expectValues(pairs: Array<[tf.Tensor | undefined, Nested | null]>): Promise<void> {
  for (const [got, want] of pairs) {
    expect(got === undefined, 'returned exactly the fixture\'s tensors').toBe(want === null);
    if (got !== undefined) await expectClose(got, want!, TOLERANCE.atol, TOLERANCE.rtol);
  }
  tf.dispose(pairs.map(([t]) => t).filter((t): t is tf.Tensor => t !== undefined));
}

/** Runs a layer fixture case: forward values and every gradient, from one forward pass. */
export async function checkLayerCase<S extends HiddenState>(layer: RecurrentLayer<S>, c: LayerCase): Promise<void> {
  loadParams(layer, c.params);
  const inputs = nonNull([c.x, c.h0, c.c0]).map((v) => fromNested(v));
  const [gOutput, gH] = [fromNested(c.g_output), fromNested(c.g_h)];
  const gC = c.g_c === null ? null : fromNested(c.g_c);
  let kept: Array<tf.Tensor | undefined> = [];
  const loss = ([x, h0, c0]: tf.Tensor[]) =>
    tf.tidy(() => {
      const initialState = h0 === undefined ? undefined : ((c0 === undefined ? { h: h0 } : { h: h0, c: c0 }) as unknown as S);
      const { output, state } = layer.forward(x!, { initialState, lengths: c.lengths ?? undefined });
      const cN = (state as unknown as { c?: tf.Tensor }).c;
      kept = [output, state.h, cN].map((t) => (t === undefined ? undefined : tf.keep(t)));
      const pairs: Array<[tf.Tensor, tf.Tensor]> = [[output, gOutput], [state.h, gH]];
      if (cN !== undefined && gC !== null) pairs.push([cN, gC]);
      return weightedSum(pairs);
    });
  await expectGradients(layer, loss, inputs, c.grads);
  await expectValues([[kept[0], c.output], [kept[1], c.h_n], [kept[2], c.c_n]]);
  tf.dispose([...inputs, gOutput, gH, ...nonNull([gC])]);
}

/** Runs a cell fixture case: one step and every gradient, from one forward pass. */
export async function checkCellCase(cell: RecurrentCell, c: CellCase): Promise<void> {
  loadParams(cell, c.params);
  const inputs = nonNull([c.x, c.h0, c.c0]).map((v) => fromNested(v));
  const gH = fromNested(c.g_h);
  const gC = c.g_c === null ? null : fromNested(c.g_c);
  let kept: tf.Tensor[] = [];
  const loss = ([x, ...state]: tf.Tensor[]) =>
    tf.tidy(() => {
      const next = cell.forward(x!, state.length === 0 ? undefined : state);
      kept = next.map((t) => tf.keep(t));
      const [h, cNext] = next;
      return weightedSum(cNext === undefined || gC === null ? [[h!, gH]] : [[h!, gH], [cNext, gC]]);
    });
  await expectGradients(cell, loss, inputs, c.grads);
  await expectValues([[kept[0], c.h], [kept[1], c.c]]);
  tf.dispose([...inputs, gH, ...nonNull([gC])]);
}
