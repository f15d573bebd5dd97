/** Gradients the seam registers over tfjs-core's own (one file each), registered by `tf.ts`. */
import type { GradConfig } from '@tensorflow/tfjs-core';
import { batchMatMulGradConfig } from './BatchMatMul.js';
import { cumsumGradConfig } from './Cumsum.js';
import { gatherV2GradConfig } from './GatherV2.js';
import { splitVGradConfig } from './SplitV.js';
import { unpackGradConfig } from './Unpack.js';

export const seamGradients: readonly GradConfig[] = [
  batchMatMulGradConfig,
  cumsumGradConfig,
  gatherV2GradConfig,
  splitVGradConfig,
  unpackGradConfig,
];
