/**
 * @lmkit/tensor — the seam every lmkit package computes through: the tfjs-core op namespace
 * (`tf`), backend selection, the seam's own kernels, `Module` and the basic layers, seeded
 * initialisers and safetensors checkpoints.
 */
export { tf } from './tf.js';
export type { Tensor, Variable, Rank, DataType, TensorLike, NamedTensorMap } from './tf.js';
export { initBackend, currentBackend, BACKEND_NAMES } from './backend.js';
export type { BackendName, BackendInfo, AdapterInfo, InitBackendOptions } from './backend.js';
export { setSeamKernels, seamKernelNames } from './kernels/registry.js';
export { LmkitError, ShapeError, ConfigError, BackendError, SafetensorsError, StateDictError } from './errors.js';
export { assertRank, assertLastDim, assertShape, assertDtype, assertTrailing, assertAttentionInputs, checkInt, checkNumber, checkNormalizedShape } from './checks.js';
export { Rng, sizeOf } from './rng.js';
export * as init from './init.js';
export { Module } from './module.js';
export type { LoadStateDictOptions, LoadStateDictResult } from './module.js';
export { Linear } from './linear.js';
export type { LinearConfig } from './linear.js';
export { LayerNorm } from './layer-norm.js';
export type { LayerNormConfig } from './layer-norm.js';
export { RMSNorm } from './rms-norm.js';
export type { RMSNormConfig } from './rms-norm.js';
export { Dropout, dropout } from './dropout.js';
export type { DropoutConfig } from './dropout.js';
export { Sequential } from './sequential.js';
export type { TensorModule } from './sequential.js';
export { loadSafetensors, saveSafetensors } from './safetensors.js';
export { fusedAttention, fusedAttentionAvailable } from './fused-attention.js';
export type { FusedAttentionOptions } from './fused-attention.js';
export type { SafetensorsFile } from './safetensors.js';
