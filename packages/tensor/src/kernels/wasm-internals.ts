/**
 * The internals of tfjs-backend-wasm's `BackendWasm` that the seam's wasm kernels use, typed, and
 * small helpers over them.
 *
 * Reference: @tensorflow/tfjs-backend-wasm 4.22.0, dist/backend_wasm.js (the backend object a
 * kernel receives) and src/cc/backend.cc (the C side's tensor table). Tensor data lives in the
 * wasm heap at `memoryOffset`; C functions find a tensor by an integer id registered with
 * `tfjs.registerTensor(id, size, memoryOffset)` and forgotten with `tfjs.disposeData(id)`, which
 * also runs the disposal callbacks C registered on that id (e.g. freeing a cached XNNPACK
 * operator).
 *
 * Porting note: the backend is an optional peer loaded with dynamic `import()`, so nothing here
 * imports it; kernels view the backend object they are given through these types. They are pinned
 * to 4.22 — re-check them (and the C signatures in each kernel) when tfjs is upgraded.
 */
import type { DataId, DataType, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../tf.js';

type CArg = number | Uint8Array;
type CFunction = (...args: CArg[]) => void;

interface WasmModule {
  readonly HEAPU8: Uint8Array;
  /** The compiled module's exports; `memory` is the heap, which the seam's own modules import. */
  readonly asm: { readonly memory: WebAssembly.Memory };
  cwrap(name: string, returnType: null, argTypes: ReadonlyArray<'number' | 'array'>): CFunction;
  readonly tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

/** What `BackendWasm.dataIdMap` holds per tensor. */
export interface WasmTensorData {
  /** The C side's id of this tensor. */
  readonly id: number;
  /** Byte offset in the wasm heap; null for strings. */
  readonly memoryOffset: number;
  /** The shape the data was created with (reshapes share data and keep this shape). */
  readonly shape: readonly number[];
  readonly dtype: DataType;
  /** Strings are kept in JavaScript, not in the heap. */
  stringBytes?: Uint8Array[] | null;
}

/** The parts of tfjs-backend-wasm 4.22's `BackendWasm` the seam uses. */
export interface BackendWasm {
  readonly wasm: WasmModule;
  /** The next free id; both dataIds and C ids are taken from it, so ids taken here never clash. */
  dataIdNextNumber: number;
  readonly dataIdMap: { get(dataId: DataId): WasmTensorData };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: DataId): boolean;
  /** A view (not a copy) of a tensor's data in the heap; invalid once the heap grows. */
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The backend a kernel function receives, as the wasm backend. */
export function asWasm(backend: unknown): BackendWasm {
  return backend as BackendWasm;
}

const cFunctions = new WeakMap<WasmModule, Map<string, CFunction>>();

/**
 * The exported C function `name`, wrapped once per wasm module. Kernels registered after the
 * backend started never get their `setupFunc` called, so they wrap what they need on first use.
 */
export function cFunction(backend: BackendWasm, name: string, argTypes: ReadonlyArray<'number' | 'array'>): CFunction {
  let fns = cFunctions.get(backend.wasm);
  if (fns === undefined) cFunctions.set(backend.wasm, (fns = new Map()));
  let fn = fns.get(name);
  if (fn === undefined) fns.set(name, (fn = backend.wasm.cwrap(name, null, argTypes)));
  return fn;
}

/** A shape as the bytes of an Int32Array, how C functions take it. */
export function int32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(new Int32Array(values).buffer);
}

/** The C id of a tensor. */
export function cId(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).id;
}

/**
 * Registers a temporary C id for `size` elements of `t` from element `offset`, without copying.
 * Release it with `releaseView` before `t` is disposed.
 */
export function view(backend: BackendWasm, t: TensorInfo, offset: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  const { memoryOffset } = backend.dataIdMap.get(t.dataId);
  backend.wasm.tfjs.registerTensor(id, size, memoryOffset + offset * tf.util.bytesPerElement(t.dtype));
  return id;
}

export function releaseView(backend: BackendWasm, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}

/** Runs the wasm kernel registered under `name` (tfjs's own, or the seam's), as kernels call kernels. */
export function runKernel(backend: BackendWasm, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const config = tf.getKernel(name, 'wasm') as tf.KernelConfig | undefined;
  if (config === undefined) throw new Error(`the wasm backend has no ${name} kernel`);
  return config.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}
