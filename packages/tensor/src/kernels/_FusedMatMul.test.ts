// Conformance of the seam's wasm _FusedMatMul (tf.fused.matMul) with the same product, bias and
// activation computed unfused on tfjs-backend-wasm's own kernels — every transpose combination,
// bias shape and activation, batched and not.
import { describe, it } from 'vitest';
import { tf, setSeamKernels, type Tensor } from '@lmkit/tensor';
import { BACKEND, expectClose, expectNoLeak } from '@lmkit/testing';

/** `fn` on tfjs's own wasm kernels, with the seam's switched off. */
function original<T>(fn: () => T): T {
  setSeamKernels('wasm', false);
  try {
    return fn();
  } finally {
    setSeamKernels('wasm', true);
  }
}

const random = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);
const COMBOS = [[false, false], [false, true], [true, false], [true, true]] as const;
const ACTIVATIONS = ['linear', 'relu', 'relu6', 'prelu', 'leakyrelu', 'sigmoid', 'elu'] as const;
type Activation = (typeof ACTIVATIONS)[number];

const M = 9;
const K = 5;
const N = 7;
const alpha = random([N], 9);

function unfused(a: Tensor, b: Tensor, tA: boolean, tB: boolean, bias: Tensor | undefined, activation: Activation): Tensor {
  const y = bias === undefined ? tf.matMul(a, b, tA, tB) : tf.add(tf.matMul(a, b, tA, tB), bias);
  switch (activation) {
    case 'linear': return y;
    case 'relu': return tf.relu(y);
    case 'relu6': return tf.relu6(y);
    case 'prelu': return tf.prelu(y, alpha);
    case 'leakyrelu': return tf.leakyRelu(y, 0.1);
    case 'sigmoid': return tf.sigmoid(y);
    case 'elu': return tf.elu(y);
  }
}

// [name, outerA, outerB, bias shape or null]
const CASES: Array<[string, number[], number[], number[] | null]> = [
  ['rank 2, no bias', [], [], null],
  ['rank 2, bias [N] (fused XNNPACK call)', [], [], [N]],
  ['batch · shared weight, bias [N] (folded)', [3], [], [N]],
  ['batch · batch, bias [N] (tfjs adds it wrongly)', [3], [3], [N]],
  ['batch · batch, bias [M, N]', [3], [3], [M, N]],
  ['rank 2, bias [1]', [], [], [1]],
];

describe.runIf(BACKEND === 'wasm')('_FusedMatMul (seam, wasm)', () => {
  for (const [name, outerA, outerB, biasShape] of CASES) {
    for (const [tA, tB] of COMBOS) {
      it(`${name}, transposeA=${tA} transposeB=${tB}: every activation as unfused tfjs`, async () => {
        const a = random([...outerA, ...(tA ? [K, M] : [M, K])], 1);
        const b = random([...outerB, ...(tB ? [N, K] : [K, N])], 2);
        const bias = biasShape === null ? undefined : random(biasShape, 3);
        for (const activation of ACTIVATIONS) {
          const got = tf.fused.matMul({ a, b, transposeA: tA, transposeB: tB, bias, activation, preluActivationWeights: alpha, leakyreluAlpha: 0.1 });
          await expectClose(got, original(() => unfused(a, b, tA, tB, bias, activation)), 1e-5, 1e-5);
        }
      });
    }
  }

  it('does not leak', async () => {
    const a = random([3, M, K], 1);
    const b = random([3, N, K], 2);
    const w = random([K, N], 4);
    const bias = random([N], 3);
    await expectNoLeak(() => tf.fused.matMul({ a, b, transposeB: true, bias, activation: 'relu' }));
    await expectNoLeak(() => tf.fused.matMul({ a, b: w, bias, activation: 'relu' }));
  });
});
