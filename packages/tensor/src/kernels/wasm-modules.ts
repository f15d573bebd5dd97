/**
 * The seam's own WebAssembly modules (C sources in `packages/tensor/wasm/`, compiled by
 * `scripts/build-wasm.mjs` into `src/wasm/*.wasm.ts`), instantiated on the wasm backend's heap:
 * each imports the backend's `WebAssembly.Memory`, so its functions read and write tensors in
 * place, by heap offset, like the backend's own C kernels.
 *
 * Porting note: browsers refuse to compile a module over 4 KB synchronously on the main thread, so
 * modules are compiled once, asynchronously, when `initBackend('wasm')` starts the backend. A
 * backend started another way (`tf.setBackend('wasm')` alone) has no modules, and the ops that
 * use them fall back to tfjs ops (see `fusedAttentionAvailable`).
 */
import { WASM_BASE64 as ATTENTION_WASM } from '../wasm/attention.wasm.js';
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

interface SeamModules {
  readonly attention: AttentionModule;
}

const loaded = new WeakMap<WebAssembly.Memory, SeamModules>();

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

async function instantiate<T>(base64: string, memory: WebAssembly.Memory): Promise<T> {
  const module = await WebAssembly.compile(bytesOf(base64));
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as T;
}

/** Compiles and instantiates the seam's modules on `backend`'s heap, once per heap. */
export async function loadSeamModules(backend: BackendWasm): Promise<void> {
  const memory = backend.wasm.asm.memory;
  if (loaded.has(memory)) return;
  loaded.set(memory, { attention: await instantiate<AttentionModule>(ATTENTION_WASM, memory) });
}

/** The seam's modules on `backend`'s heap, or undefined when they were not loaded. */
export function seamModules(backend: BackendWasm): SeamModules | undefined {
  return loaded.get(backend.wasm.asm.memory);
}
