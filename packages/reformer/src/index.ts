/**
 * @lmkit/reformer — Reformer's building blocks (Kitaev, Kaiser & Levskaya 2020): LSH self-attention
 * with shared query–key, reversible residual layers whose backward pass recomputes activations,
 * chunked feed-forward, axial positional embeddings and a Reformer encoder.
 */
export { LSHSelfAttention } from './lsh-self-attention.js';
export type { LSHSelfAttentionConfig, LSHForwardOptions, LSHOutput } from './lsh-self-attention.js';
export { sharedQKAttention, unitKeys, MASK_VALUE, SELF_MASK_VALUE } from './shared-qk.js';
export type { SharedQKOptions } from './shared-qk.js';
export { Replay } from './replay.js';
export type { BlockOptions } from './replay.js';
export { ReversibleBlock, ReversibleSequence } from './reversible.js';
export type { BlockFunction, ReversibleOptions } from './reversible.js';
export { ChunkedFeedForward } from './chunked-feed-forward.js';
export type { ChunkedFeedForwardConfig, FeedForwardActivation } from './chunked-feed-forward.js';
export { AttentionSublayer, FeedForwardSublayer } from './sublayers.js';
export { ReformerEncoder } from './reformer-encoder.js';
export type { ReformerEncoderConfig } from './reformer-encoder.js';
