/**
 * The seam's own WebAssembly modules (C sources in `packages/tensor/wasm/`, compiled by
 * `scripts/build-wasm.mjs` into `src/wasm/*.wasm.ts`), instantiated on the wasm backend's heap:
 * each imports the backend's `WebAssembly.Memory`, so its functions read and write tensors in
 * place, by heap offset, like the backend's own C kernels.
 *
 * Porting note: browsers refuse to compile a module over 4 KB synchronously on the main thread, so
 * modules are compiled once, asynchronously, when `initBackend('wasm')` starts the backend. A
 * heap that did not go through it (a wasm backend re-created by hand) gets them compiled
 * synchronously on first use, which Node and workers allow.
 */
import { WASM_BASE64 as ATTENTION_WASM } from '../wasm/attention.wasm.js';
import { WASM_BASE64 as ELEMENTWISE_WASM } from '../wasm/elementwise.wasm.js';
import { WASM_BASE64 as MATMUL_WASM } from '../wasm/matmul.wasm.js';
import type { BackendWasm } from './wasm-internals.js';

/** The exports of wasm/attention.c; pointers are byte offsets into the heap. */
export interface AttentionModule {
  attention_forward_scratch(Tk: number, d: number, dv: number): number;
  attention_backward_scratch(Tk: number, d: number, dv: number): number;
  attention_forward(
    q: number, k: number, v: number, o: number, stats: number, scratch: number,
    BH: number, Tq: number, Tk: number, d: number, dv: number, scale: number, causal: number, shift: number,
  ): void;
  attention_backward(
    q: number, k: number, v: number, o: number, stats: number, dout: number,
    dq: number, dk: number, dv: number, scratch: number,
    BH: number, Tq: number, Tk: number, d: number, dvDim: number, scale: number, causal: number, shift: number,
  ): void;
}

/** The exports of wasm/matmul.c; pointers are byte offsets into the heap, strides in elements. */
export interface MatmulModule {
  gemm_scratch(M: number, N: number, K: number): number;
  gemm(a: number, sai: number, sak: number, b: number, sbk: number, sbj: number, c: number, M: number, N: number, K: number, scratch: number): void;
  /** As `gemm` for few rows, without packing; `scratch` holds K floats. */
  gemm_rows(a: number, sai: number, sak: number, b: number, sbk: number, sbj: number, c: number, M: number, N: number, K: number, scratch: number): void;
}

/** The exports of wasm/elementwise.c. */
export interface ElementwiseModule {
  exp_f32(x: number, y: number, n: number): void;
}

interface SeamModules {
  readonly attention: AttentionModule;
  readonly matmul: MatmulModule;
  readonly elementwise: ElementwiseModule;
}

const SOURCES = { attention: ATTENTION_WASM, matmul: MATMUL_WASM, elementwise: ELEMENTWISE_WASM } as const;
type Name = keyof typeof SOURCES;
const NAMES = Object.keys(SOURCES) as Name[];

const loaded = new WeakMap<WebAssembly.Memory, SeamModules>();

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Compiles and instantiates the seam's modules on `backend`'s heap, once per heap. */
export async function loadSeamModules(backend: BackendWasm): Promise<void> {
  const memory = backend.wasm.asm.memory;
  if (loaded.has(memory)) return;
  const imports = { env: { memory } };
  const exports = await Promise.all(NAMES.map(async (name) => {
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytesOf(SOURCES[name])), imports);
    return [name, instance.exports] as const;
  }));
  loaded.set(memory, Object.fromEntries(exports) as unknown as SeamModules);
}

/** The seam's modules on `backend`'s heap, compiled synchronously if `loadSeamModules` did not run. */
export function seamModules(backend: BackendWasm): SeamModules {
  const memory = backend.wasm.asm.memory;
  let modules = loaded.get(memory);
  if (modules === undefined) {
    const imports = { env: { memory } };
    const exports = NAMES.map((name) => [name, new WebAssembly.Instance(new WebAssembly.Module(bytesOf(SOURCES[name])), imports).exports] as const);
    modules = Object.fromEntries(exports) as unknown as SeamModules;
    loaded.set(memory, modules);
  }
  return modules;
}
