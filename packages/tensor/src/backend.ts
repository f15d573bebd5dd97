/**
 * Backend selection: `initBackend('auto' | 'cpu' | 'wasm' | 'webgpu')`.
 *
 * Backends are optional peer dependencies, loaded with dynamic `import()` so a user installs only
 * the ones they pick. `auto` tries webgpu (when an adapter exists), then wasm, then cpu and says
 * what it skipped and why; a backend named explicitly either starts or throws a `BackendError`
 * that says why and what to install — it never falls back silently.
 *
 * In Node, WebGPU comes from the `webgpu` npm package (Dawn). Without a GPU, Dawn can run on
 * SwiftShader: `apt-get install chromium libvulkan1` and set
 * `VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json` before starting Node.
 */
import { BackendError, ConfigError } from './errors.js';
import { setSeamKernels } from './kernels/registry.js';
import { asWasm } from './kernels/wasm-internals.js';
import { loadSeamModules } from './kernels/wasm-modules.js';
import { tf } from './tf.js';

export type BackendName = 'cpu' | 'wasm' | 'webgpu';
export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];

/** The WebGPU adapter a webgpu backend runs on. */
export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
}

/** What `initBackend` started. */
export interface BackendInfo {
  readonly name: BackendName;
  /** wasm: whether the SIMD build runs. */
  readonly simd?: boolean;
  /** wasm: whether the multi-threaded build runs. */
  readonly threads?: boolean;
  /** webgpu: the adapter. */
  readonly adapter?: AdapterInfo;
  /** `auto` only: the backends tried before this one, and why each could not start. */
  readonly skipped?: ReadonlyArray<{ readonly name: BackendName; readonly reason: string }>;
}

export interface InitBackendOptions {
  /** wasm: where the `.wasm` files are served from (the browser, when a bundler moves them). */
  readonly wasmPaths?: string;
}

const INSTALL: Record<BackendName, string> = {
  cpu: 'npm i @tensorflow/tfjs-backend-cpu@4.22.0',
  wasm: 'npm i @tensorflow/tfjs-backend-wasm@4.22.0',
  webgpu: 'npm i @tensorflow/tfjs-backend-webgpu@4.22.0 (and in Node also: npm i webgpu)',
};

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

/** Loads a backend's package, or says which package to install. Exported for tests. */
export async function importPackage(backend: BackendName, load: () => Promise<unknown>): Promise<unknown> {
  try {
    return await load();
  } catch (err) {
    throw new BackendError(backend, `its package did not load (${message(err)}); install it: ${INSTALL[backend]}`);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

interface GpuLike {
  requestAdapter(): Promise<{ info?: Partial<AdapterInfo> } | null>;
}

/** Makes `navigator.gpu` exist in Node, from the `webgpu` package (Dawn). */
async function nodeGpu(): Promise<GpuLike> {
  const existing = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (existing !== undefined) return existing;
  // A computed specifier keeps browser bundlers from pulling this Node-only package into a page.
  const dawnPackage = 'webgpu';
  const dawn = (await importPackage('webgpu', () => import(/* @vite-ignore */ dawnPackage))) as {
    create(flags: string[]): GpuLike;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  }
  return gpu;
}

async function startWebgpu(): Promise<BackendInfo> {
  const gpu = isNode ? await nodeGpu() : (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu === undefined) {
    throw new BackendError('webgpu', 'this browser exposes no navigator.gpu (WebGPU is off or unsupported)');
  }
  const adapter = await gpu.requestAdapter();
  if (adapter === null) {
    const hint = isNode
      ? 'no WebGPU adapter found. Without a GPU, Dawn runs on SwiftShader: apt-get install chromium libvulkan1, ' +
        'then start Node with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json'
      : 'the browser found no WebGPU adapter';
    throw new BackendError('webgpu', hint);
  }
  await importPackage('webgpu', () => import('@tensorflow/tfjs-backend-webgpu'));
  await activate('webgpu');
  const info = adapter.info ?? {};
  return {
    name: 'webgpu',
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
    },
  };
}

async function startWasm(options: InitBackendOptions): Promise<BackendInfo> {
  const wasm = (await importPackage('wasm', () => import('@tensorflow/tfjs-backend-wasm'))) as {
    setWasmPaths(prefix: string): void;
  };
  if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
  await activate('wasm');
  await loadSeamModules(asWasm(tf.backend()));
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return { name: 'wasm', simd, threads };
}

async function startCpu(): Promise<BackendInfo> {
  await importPackage('cpu', () => import('@tensorflow/tfjs-backend-cpu'));
  await activate('cpu');
  // The cpu backend prints an advert for tfjs-node on its first write in Node; lmkit does not use
  // tfjs-node (its native kernels are not one of lmkit's backends), so mark the banner as shown.
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  return { name: 'cpu' };
}

async function activate(name: BackendName): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    throw new BackendError(name, `tfjs failed to initialise it: ${message(err)}`);
  }
  if (!ok) throw new BackendError(name, 'tfjs failed to initialise it (see the warning above)');
  await tf.ready();
  setSeamKernels(name, true);
}

function start(name: BackendName, options: InitBackendOptions): Promise<BackendInfo> {
  switch (name) {
    case 'cpu':
      return startCpu();
    case 'wasm':
      return startWasm(options);
    case 'webgpu':
      return startWebgpu();
  }
}

/**
 * Starts a backend and makes it the active one.
 *
 * @example
 * const info = await initBackend('auto'); // { name: 'wasm', simd: true, threads: false, skipped: [...] }
 */
export async function initBackend(
  name: BackendName | 'auto' = 'auto',
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
  if (name !== 'auto' && !BACKEND_NAMES.includes(name)) {
    throw new ConfigError('initBackend(name)', `'auto' or one of ${BACKEND_NAMES.join(', ')}`, name);
  }
  if (name !== 'auto') return start(name, options);
  const skipped: Array<{ name: BackendName; reason: string }> = [];
  for (const candidate of ['webgpu', 'wasm', 'cpu'] as const) {
    try {
      return { ...(await start(candidate, options)), skipped };
    } catch (err) {
      skipped.push({ name: candidate, reason: message(err) });
    }
  }
  throw new BackendError('auto', skipped.map((s) => `${s.name}: ${s.reason}`).join('; '));
}

/** The name of the active backend. */
export function currentBackend(): string {
  return tf.getBackend();
}
