/** Every kernel the seam registers, one file each (see ./registry.ts). */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './BatchMatMul.js';
import { cumsumConfig } from './Cumsum.js';
import { expConfig } from './Exp.js';
import { fusedMatMulConfig } from './_FusedMatMul.js';
import { gatherV2Config } from './GatherV2.js';
import { lmkitAttentionConfig } from './LmkitAttention.js';
import { lmkitAttentionGradConfig } from './LmkitAttentionGrad.js';
import { sliceConfig } from './Slice.js';
import { splitVConfig } from './SplitV.js';
import { unpackConfig } from './Unpack.js';
import { unsortedSegmentSumConfig } from './UnsortedSegmentSum.js';

export const seamKernels: readonly KernelConfig[] = [
  batchMatMulConfig,
  cumsumConfig,
  expConfig,
  fusedMatMulConfig,
  gatherV2Config,
  lmkitAttentionConfig,
  lmkitAttentionGradConfig,
  sliceConfig,
  splitVConfig,
  unpackConfig,
  unsortedSegmentSumConfig,
];
