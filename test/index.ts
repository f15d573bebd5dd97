/**
 * Shared test helpers for lmkit packages (test-only; imported as `@lmkit/testing`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { tf, type Tensor } from '@lmkit/tensor';

/** The backend this test file runs on. */
export const BACKEND = process.env.LMKIT_TEST_BACKEND ?? 'cpu';

/** Nested number arrays as found in JSON fixtures. */
export type Nested = number | Nested[];

/** Flattens a nested array fixture. */
export function flat(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}

/** The shape of a nested array fixture. */
export function shapeOf(x: Nested): number[] {
  return Array.isArray(x) ? [x.length, ...(x.length > 0 ? shapeOf(x[0]!) : [])] : [];
}

/** A float32 tensor from a nested array fixture. */
export function fromNested(x: Nested, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  return tf.tensor(flat(x), shapeOf(x), dtype);
}

/**
 * Asserts `actual` has `expected`'s shape and every element is within `atol + rtol·|expected|`
 * (an infinity must be matched exactly; NaN never matches).
 * Reads with `await data()`, which every backend supports.
 */
export async function expectClose(actual: Tensor, expected: Nested | Tensor, atol = 1e-5, rtol = 1e-5): Promise<void> {
  const want = expected instanceof tf.Tensor ? Array.from(await expected.data()) : flat(expected);
  const wantShape = expected instanceof tf.Tensor ? expected.shape : shapeOf(expected);
  expect(actual.shape).toEqual(wantShape);
  const got = await actual.data();
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < want.length; i++) {
    if (got[i] === want[i]) continue; // also equal infinities, whose difference is NaN
    const err = Math.abs(got[i]! - want[i]!) - (atol + rtol * Math.abs(want[i]!));
    if (!(err <= worst)) {
      worst = Number.isNaN(err) ? Infinity : err;
      worstAt = i;
    }
  }
  if (worstAt >= 0) {
    expect.fail(`element ${worstAt}: got ${got[worstAt]}, want ${want[worstAt]} (atol ${atol}, rtol ${rtol})`);
  }
}

/**
 * Runs `fn` twice and asserts the live tensor count is the same after each run. Whatever `fn`
 * returns (a tensor, or arrays / objects holding tensors) is disposed after each run.
 */
export async function expectNoLeak(fn: () => unknown): Promise<void> {
  tf.dispose((await fn()) as tf.TensorContainer);
  const before = tf.memory().numTensors;
  tf.dispose((await fn()) as tf.TensorContainer);
  expect(tf.memory().numTensors).toBe(before);
}

/**
 * `n` deterministic test values in [-1, 1), from a sine hash that owes nothing to the code under
 * test. They are float32-exact (`Math.fround`), so a float64 reference sees exactly what a
 * float32 tensor holds, and they have no symmetry a transposed or mis-indexed result could hide
 * behind.
 */
/**
 * SHA-256 of a C kernel source followed by each local file it includes (`#include "…"`, in order,
 * recursively): what scripts/build-wasm.mjs records as a generated module's SOURCE_SHA256.
 */
export function wasmSourceHash(file: URL): string {
  const hash = createHash('sha256');
  const add = (url: URL) => {
    const text = readFileSync(url, 'utf8');
    hash.update(text);
    for (const m of text.matchAll(/^#include "([^"]+)"/gm)) add(new URL(m[1]!, url));
  };
  add(file);
  return hash.digest('hex');
}

export function testValues(n: number, seed = 0): number[] {
  return Array.from({ length: n }, (_, i) => {
    const s = Math.sin((i + 1) * 12.9898 + (seed + 1) * 78.233) * 43758.5453;
    return Math.fround(2 * (s - Math.floor(s)) - 1);
  });
}

/**
 * The gradient of a float64 scalar function at `x` by central differences, for checking a
 * tensor gradient against a plain-JavaScript reference of the same function.
 */
export function numericGrad(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-5): number[] {
  const at = Float64Array.from(x);
  return Array.from(at, (v, i) => {
    at[i] = v + h;
    const up = f(at);
    at[i] = v - h;
    const down = f(at);
    at[i] = v;
    return (up - down) / (2 * h);
  });
}

/**
 * On webgpu, tfjs runs an op on its cpu kernels while its inputs are still in CPU memory and
 * small (`WEBGPU_CPU_FORWARD`, under 1000 elements), so a test of small tensors would not reach
 * the shaders. Turns that off for the calling test file (as tfjs's own webgpu tests do).
 */
export function forceDeviceKernels(): void {
  if (BACKEND !== 'webgpu') return;
  let saved = true;
  beforeAll(() => {
    saved = tf.env().getBool('WEBGPU_CPU_FORWARD');
    tf.env().set('WEBGPU_CPU_FORWARD', false);
  });
  afterAll(() => tf.env().set('WEBGPU_CPU_FORWARD', saved));
}

/** Disposes every tensor a test creates (not variables) when it ends: a tfjs scope per test. */
export function disposeAfterEach(): void {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());
}
