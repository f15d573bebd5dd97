/** Every kernel the seam registers, one file each (see ./registry.ts). */
import type { KernelConfig } from '@tensorflow/tfjs-core';

export const seamKernels: readonly KernelConfig[] = [];
