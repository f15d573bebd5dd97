/**
 * Shared test helpers for lmkit packages (test-only; imported as `@lmkit/testing`).
 */
import { expect } from 'vitest';
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
 * Asserts `actual` has `expected`'s shape and every element is within `atol + rtol·|expected|`.
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

/** Runs `fn` twice and asserts the live tensor count is the same after each run. */
export async function expectNoLeak(fn: () => unknown | Promise<unknown>): Promise<void> {
  const dispose = (r: unknown) => {
    if (r instanceof tf.Tensor) r.dispose();
    else if (r !== null && typeof r === 'object') tf.dispose(Object.values(r as object).filter((v) => v instanceof tf.Tensor));
  };
  dispose(await fn());
  const before = tf.memory().numTensors;
  dispose(await fn());
  expect(tf.memory().numTensors).toBe(before);
}
