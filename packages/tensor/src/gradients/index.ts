/** Gradients the seam registers over tfjs-core's own (one file each), registered by `tf.ts`. */
import type { GradConfig } from '@tensorflow/tfjs-core';
import { batchMatMulGradConfig } from './BatchMatMul.js';

export const seamGradients: readonly GradConfig[] = [batchMatMulGradConfig];
