/**
 * `Cumsum` (`tf.cumsum`) on the webgpu backend, replacing tfjs-backend-webgpu 4.22's, whose
 * reverse scans go wrong once a second scan length is seen: its shader writes the scan length into
 * the WGSL source (`end + pow2 < ${length}`) but its pipeline-cache key (`cum_+_${exclusive}_
 * ${reverse}` plus input ranks) leaves the length out, so every later reverse scan of the same
 * rank runs with the first length. That includes the gradient of every forward `cumsum`.
 *
 * Reference: tfjs-backend-webgpu 4.22 cum_webgpu.js and kernels/Cum_impl.js: transpose the scan
 * axis innermost, ⌈log₂ n⌉ Hillis–Steele passes (pass i adds the element 2ⁱ back, or ahead when
 * reversed), one more pass shifting by one for an exclusive scan, transpose back.
 *
 * Porting note: the same passes, with the scan length passed as a uniform rather than compiled in,
 * so one pipeline per (exclusive, reverse, rank) serves every length.
 */
import type { CumsumAttrs, DataId, DataType, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';

/** A tfjs-backend-webgpu 4.22 `WebGPUProgram`, as `runWebGPUProgram` reads it. */
interface WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  readonly variableNames: string[];
  readonly uniforms: string;
  readonly workgroupSize: [number, number, number];
  readonly size: boolean;
  getUserCode(): string;
}

interface Uniform {
  readonly type: 'float32' | 'int32';
  readonly data: number[];
}

/** The parts of tfjs-backend-webgpu 4.22's `WebGPUBackend` this kernel uses. */
interface BackendWebGPU {
  runWebGPUProgram(program: WebGPUProgram, inputs: TensorInfo[], dtype: DataType, uniforms: Uniform[]): TensorInfo;
  disposeData(dataId: DataId): boolean;
}

const WORKGROUP = 128;
const AXES = ['x', 'y', 'z', 'w'];

/** One scan pass over the innermost axis of `shape` (rank ≤ 4); uniforms: pass index, length. */
function scanPass(shape: number[], exclusive: boolean, reverse: boolean): WebGPUProgram {
  const rank = shape.length;
  const last = rank === 1 ? 'coords' : `coords.${AXES[rank - 1]}`;
  const all = rank === 1 ? 'coords' : AXES.slice(0, rank).map((a) => `coords.${a}`).join(', ');
  let condition: string;
  let from: string;
  if (exclusive) {
    condition = reverse ? 'end != uniforms.length - 1' : 'end != 0';
    from = reverse ? 'end + 1' : 'end - 1';
  } else {
    condition = reverse ? 'end + pow2 < uniforms.length' : 'end >= pow2';
    from = reverse ? 'end + pow2' : 'end - pow2';
  }
  return {
    outputShape: shape,
    shaderKey: `seamCumsum_${exclusive}_${reverse}`,
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(tf.util.sizeFromShape(shape) / WORKGROUP), 1, 1],
    variableNames: ['x'],
    uniforms: 'index : f32, length : i32,',
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var coords = getCoordsFromIndex(index);
          let end = ${last};
          var val = ${exclusive ? '0.0' : `getX(${all})`};
          let pow2 = i32(pow(2.0, uniforms.index));
          if (${condition}) {
            ${last} = ${from};
            val += getX(${all});
          }
          setOutputAtIndex(index, val);
        }
      }
    `,
  };
}

function run(backend: BackendWebGPU, name: string, x: TensorInfo, attrs: NamedAttrMap = {}): TensorInfo {
  const config = tf.getKernel(name, 'webgpu') as tf.KernelConfig | undefined;
  if (config === undefined) throw new Error(`the webgpu backend has no ${name} kernel`);
  return config.kernelFunc({ inputs: { x }, backend, attrs }) as TensorInfo;
}

export const cumsumConfig: KernelConfig = {
  kernelName: tf.Cumsum,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend: b, attrs }) => {
    const backend = b as unknown as BackendWebGPU;
    const { x } = inputs as { x: TensorInfo };
    const { exclusive, reverse } = attrs as unknown as CumsumAttrs;
    const rank = x.shape.length;
    if (rank > 4) throw new Error(`Cumsum on webgpu supports rank ≤ 4, got rank ${rank}`);
    const axis = tf.util.parseAxisParam((attrs as unknown as CumsumAttrs).axis, x.shape)[0]!;
    const perm = tf.backend_util.getAxesPermutation([axis], rank);
    const scanned = perm === null ? x : run(backend, 'Transpose', x, { perm });
    const length = scanned.shape[rank - 1]!;
    // A copy to scan, so that every intermediate (never the input) can be disposed.
    let result = run(backend, 'Identity', scanned);
    const pass = (program: WebGPUProgram, index: number) => {
      const next = backend.runWebGPUProgram(program, [result], result.dtype, [
        { type: 'float32', data: [index] },
        { type: 'int32', data: [length] },
      ]);
      backend.disposeData(result.dataId);
      result = next;
    };
    for (let i = 0; i < Math.ceil(Math.log2(length)); i++) pass(scanPass([...scanned.shape], false, reverse), i);
    if (exclusive) pass(scanPass([...scanned.shape], true, reverse), 0);
    if (perm === null) return result;
    const out = run(backend, 'Transpose', result, { perm: tf.backend_util.getUndoAxesPermutation(perm) });
    backend.disposeData(result.dataId);
    backend.disposeData(scanned.dataId);
    return out;
  },
};
