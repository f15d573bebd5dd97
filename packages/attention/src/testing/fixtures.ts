/**
 * Test helpers for the PyTorch fixtures of fixtures/generate.py (test-only, not built): load a
 * case's parameters, run it, and compare the output and the gradients of loss = Σ output · gy
 * with respect to every input and every parameter.
 */
import { expect } from 'vitest';
import { tf, type Module } from '@lmkit/tensor';
import { expectClose, flat, fromNested, shapeOf, type Nested } from '@lmkit/testing';
import type { TransformerLayerConfig } from '../index.js';

/** A mask as the fixtures write it: nested booleans (bool mask) or numbers (float mask). */
export type NestedMask = Nested | boolean | NestedMask[];

export interface FixtureCase {
  readonly name: string;
  readonly params: Record<string, Nested>;
  readonly param_grads: Record<string, Nested>;
  readonly inputs: Record<string, Nested>;
  readonly input_grads: Record<string, Nested>;
  readonly masks: Record<string, NestedMask>;
  readonly gy: Nested;
  readonly output: Nested;
}

/** A transformer layer case: PyTorch's constructor arguments. */
export interface LayerCase extends FixtureCase {
  readonly config: {
    readonly d_model: number;
    readonly nhead: number;
    readonly dim_feedforward: number;
    readonly activation: 'relu' | 'gelu';
    readonly layer_norm_eps: number;
    readonly norm_first: boolean;
  };
}

/** The lmkit layer config of a PyTorch layer config (dropout 0). */
export function layerConfig(k: LayerCase['config']): TransformerLayerConfig {
  return {
    dModel: k.d_model,
    nHead: k.nhead,
    dimFeedforward: k.dim_feedforward,
    dropout: 0,
    activation: k.activation,
    layerNormEps: k.layer_norm_eps,
    normFirst: k.norm_first,
  };
}

/** Tolerance (atol = rtol) against the float64 reference on every backend, webgpu included. */
export const TOLERANCE = 1e-5;

/** A bool or float32 tensor from a fixture mask, or undefined when the case has none. */
export function maskOf(c: FixtureCase, name: string): tf.Tensor | undefined {
  const m = c.masks[name];
  if (m === undefined) return undefined;
  const values = flat(m as Nested) as unknown[];
  const shape = shapeOf(m as Nested);
  return typeof values[0] === 'boolean' ? tf.tensor(values as boolean[], shape, 'bool') : tf.tensor(values as number[], shape, 'float32');
}

/** Loads the case's parameters into `module`, checking PyTorch's names and their order. */
export function loadParams(module: Module, c: FixtureCase): void {
  expect(Object.keys(module.stateDict())).toEqual(Object.keys(c.params));
  const dict = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, fromNested(v)]));
  module.loadStateDict(dict);
  tf.dispose(Object.values(dict));
}

async function closeOrSay(what: string, actual: tf.Tensor, expected: Nested, tol: number): Promise<void> {
  try {
    await expectClose(actual, expected, tol, tol);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/**
 * Loads `c` into `module`, runs `run` on the named inputs and compares output, input gradients and
 * parameter gradients with the fixture. One forward and one backward pass: the inputs are
 * variables too, and the output is kept from inside the differentiated function (webgpu on
 * SwiftShader pays for every kernel launch).
 */
export async function expectMatchesFixture(
  module: Module,
  c: FixtureCase,
  inputNames: readonly string[],
  run: (...inputs: tf.Tensor[]) => tf.Tensor,
  tol = TOLERANCE,
): Promise<void> {
  loadParams(module, c);
  const inputs = inputNames.map((n) => tf.tidy(() => tf.variable(fromNested(c.inputs[n]!))));
  const gy = fromNested(c.gy);
  const named = module.namedParameters();
  let output: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    output = tf.keep(run(...inputs));
    return tf.sum(tf.mul(output, gy)) as tf.Scalar;
  }, [...inputs, ...named.map(([, p]) => p)]);
  await closeOrSay('output', output!, c.output, tol);
  for (const [i, name] of inputNames.entries()) await closeOrSay(`d${name}`, grads[inputs[i]!.name]!, c.input_grads[name]!, tol);
  for (const [name, p] of named) {
    expect(grads[p.name], `gradient of ${name}`).toBeDefined();
    await closeOrSay(`d${name}`, grads[p.name]!, c.param_grads[name]!, tol);
  }
  tf.dispose([...inputs, gy, output!, value, ...Object.values(grads)]);
}
