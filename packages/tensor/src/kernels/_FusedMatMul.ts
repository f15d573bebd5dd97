/**
 * `_FusedMatMul` (`tf.fused.matMul`: a·b, plus a bias, then an activation) on the wasm backend.
 *
 * Reference: tfjs-backend-wasm 4.22, kernels/_FusedMatMul.js and src/cc/batch_mat_mul_impl.cc.
 * The C kernel has BatchMatMul's two paths: XNNPACK, with the bias and activation fused, only for
 * untransposed operands with batch 1; otherwise the scalar loop, which also adds the bias wrongly
 * when the batch is above 1 (measured: off by up to 0.68 from cpu for [2,3,4]·[2,4,5] + [5]).
 *
 * Here, when one right operand serves the whole batch untransposed with a rank-1 bias of N values,
 * the batch folds into the rows of one fused C call on the XNNPACK path; otherwise the seam's
 * BatchMatMul multiplies and the backend's own kernels add the bias and apply the activation, as
 * the cpu backend does.
 *
 * Porting note: C caches the XNNPACK operator under the right operand's id, whatever its shape, so
 * a weight reused under another shape (a reshape shares the id) aborts the original's wasm module.
 * Here the right operand keeps its own id only when its stored shape is the [K, N] multiplied;
 * otherwise it is viewed under a fresh id, whose disposal frees the operator.
 */
import type { KernelConfig, TensorInfo, _FusedMatMulAttrs } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';
import { batchMatMul } from './BatchMatMul.js';
import { asWasm, cFunction, cId, int32Bytes, releaseView, runKernel, view, type BackendWasm } from './wasm-internals.js';

/** The C kernel's activation codes (src/cc/fusable_activations.h). */
const ACTIVATION_CODE = { linear: 0, relu: 1, relu6: 2, prelu: 3, leakyrelu: 4, sigmoid: 5, elu: 6 } as const;

/** The backend kernel applying each parameterless activation after an unfused product. */
const ACTIVATION_KERNEL = { relu: 'Relu', relu6: 'Relu6', sigmoid: 'Sigmoid', elu: 'Elu' } as const;

interface FusedInputs {
  a: TensorInfo; // [batchA, M, K] or [batchA, K, M] — tf.fused.matMul reshapes to 3-D
  b: TensorInfo; // [batchB, K, N] or [batchB, N, K]
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}

/** A batch of matrices `shape` ([batch, rows, cols]) stored in `t` from element `offset`. */
interface Region {
  readonly t: TensorInfo;
  readonly offset: number;
  readonly shape: readonly [number, number, number];
}

/**
 * The C id to pass for a region: the tensor's own id when the region is all of it — for a right
 * operand only if its stored shape is the region's matrix (see the header) — else a temporary view.
 */
function regionId(backend: BackendWasm, r: Region, rightOperand: boolean): { id: number; temporary: boolean } {
  const data = backend.dataIdMap.get(r.t.dataId);
  const size = r.shape[0] * r.shape[1] * r.shape[2];
  const whole = r.offset === 0 && size === tf.util.sizeFromShape(data.shape as number[]);
  if (whole && (!rightOperand || sameDims(data.shape, r.shape))) return { id: data.id, temporary: false };
  return { id: view(backend, r.t, r.offset, size), temporary: true };
}

/** Whether two shapes are equal once their leading 1s are dropped. */
function sameDims(x: readonly number[], y: readonly number[]): boolean {
  const strip = (s: readonly number[]) => {
    const first = s.findIndex((d) => d !== 1);
    return first < 0 ? [] : s.slice(first);
  };
  return strip(x).join() === strip(y).join();
}

function fusedMatMul(backend: BackendWasm, inputs: FusedInputs, attrs: _FusedMatMulAttrs): TensorInfo {
  const { a, b, bias, preluActivationWeights } = inputs;
  const { transposeA, transposeB, activation, leakyreluAlpha = 0.2 } = attrs;
  if (!(activation in ACTIVATION_CODE)) throw new Error(`_FusedMatMul on wasm does not support activation '${activation}'`);
  const [batchA, M, K] = a.shape as [number, number, number];
  const [batchB, , N] = b.shape as [number, number, number];
  const foldable = !transposeA && !transposeB && batchB === 1 && M * N * K > 0 &&
    (bias === undefined || (bias.shape.length === 1 && bias.shape[0] === N));
  if (foldable) {
    const out = backend.makeOutput([batchA, M, N], 'float32');
    const right = regionId(backend, { t: b, offset: 0, shape: [1, K, N] }, true);
    // C caches the XNNPACK operator under the bias id too: a temporary right operand gets a
    // temporary bias, so that nothing outlives the call.
    const biasId = bias === undefined ? 0 : right.temporary ? view(backend, bias, 0, N) : cId(backend, bias);
    const fn = cFunction(backend, '_FusedMatMul', [
      'number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number',
    ]);
    fn(
      cId(backend, a), int32Bytes([1, batchA * M, K]), 3, right.id, int32Bytes([1, K, N]), 3, 0, 0,
      ACTIVATION_CODE[activation], biasId, preluActivationWeights === undefined ? 0 : cId(backend, preluActivationWeights),
      leakyreluAlpha, cId(backend, out),
    );
    if (right.temporary) {
      releaseView(backend, right.id);
      if (biasId !== 0) releaseView(backend, biasId);
    }
    return out;
  }
  let out = batchMatMul(backend, a, b, transposeA, transposeB); // (batch, M, N)
  if (bias !== undefined) out = replace(backend, out, runKernel(backend, 'Add', { a: out, b: bias }));
  if (activation === 'prelu') {
    out = replace(backend, out, runKernel(backend, 'Prelu', { x: out, alpha: preluActivationWeights }));
  } else if (activation === 'leakyrelu') {
    out = replace(backend, out, runKernel(backend, 'LeakyRelu', { x: out }, { alpha: leakyreluAlpha }));
  } else if (activation !== 'linear') {
    out = replace(backend, out, runKernel(backend, ACTIVATION_KERNEL[activation], { x: out }));
  }
  return out;
}

/** Disposes `previous` and returns `next`. */
function replace(backend: BackendWasm, previous: TensorInfo, next: TensorInfo): TensorInfo {
  backend.disposeData(previous.dataId);
  return next;
}

export const fusedMatMulConfig: KernelConfig = {
  kernelName: tf._FusedMatMul,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    fusedMatMul(asWasm(backend), inputs as unknown as FusedInputs, attrs as unknown as _FusedMatMulAttrs),
};
