/**
 * The seam's own kernels: what tfjs lacks on a backend, or does slowly. One kernel per file in
 * this folder; each exports a tfjs `KernelConfig` and is listed in `./index.ts`.
 *
 * Registration happens in `initBackend`, after the backend package has registered its own
 * kernels, so ours replace theirs. The replaced originals are kept, so a benchmark or a test can
 * switch back and compare (`setSeamKernels(backend, false)`).
 *
 * Porting note: tfjs calls a kernel's `setupFunc` only when the backend initialises, which may
 * have happened before we register, so seam kernels set themselves up lazily on first call.
 */
import { tf } from '../tf.js';
import { seamKernels } from './index.js';

const originals = new Map<string, tf.KernelConfig | undefined>();
const key = (backend: string, kernel: string) => `${backend}/${kernel}`;

function install(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}

/**
 * Turns the seam's kernels for `backend` on (the default after `initBackend`) or off, restoring
 * the backend's own kernels. Returns the names of the kernels switched.
 */
export function setSeamKernels(backend: string, enabled: boolean): string[] {
  const switched: string[] = [];
  for (const config of seamKernels) {
    if (config.backendName !== backend) continue;
    const k = key(backend, config.kernelName);
    if (!originals.has(k)) originals.set(k, tf.getKernel(config.kernelName, backend));
    const original = originals.get(k);
    if (enabled) {
      install(config);
    } else if (original !== undefined) {
      install(original);
    } else if (tf.getKernel(config.kernelName, backend) !== undefined) {
      tf.unregisterKernel(config.kernelName, backend);
    }
    switched.push(config.kernelName);
  }
  return switched;
}

/** The kernels the seam registers for `backend`, by tfjs kernel name. */
export function seamKernelNames(backend: string): string[] {
  return seamKernels.filter((c) => c.backendName === backend).map((c) => c.kernelName);
}
