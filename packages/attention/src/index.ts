/**
 * @lmkit/attention — scaled dot-product and multi-head attention (with a KV cache for incremental
 * decoding and a blocked, memory-efficient path) and transformer encoder/decoder layers, stacks
 * and the encoder-decoder `Transformer`, with PyTorch's parameter names, layouts and numerics.
 */
export { scaledDotProductAttention } from './scaled-dot-product-attention.js';
export type { ScaledDotProductAttentionOptions, AttentionResult } from './scaled-dot-product-attention.js';
export { MultiHeadAttention } from './multi-head-attention.js';
export type { MultiHeadAttentionConfig, MultiHeadAttentionOptions, MultiHeadAttentionOutput } from './multi-head-attention.js';
export { KVCache } from './kv-cache.js';
export type { KVCacheConfig, KVCacheKind } from './kv-cache.js';
export { TransformerEncoderLayer } from './transformer-encoder-layer.js';
export type { TransformerEncoderLayerConfig, TransformerEncoderLayerOptions } from './transformer-encoder-layer.js';
export { TransformerDecoderLayer } from './transformer-decoder-layer.js';
export type { TransformerDecoderLayerConfig, TransformerDecoderLayerOptions, DecoderLayerCache } from './transformer-decoder-layer.js';
export type { TransformerLayerConfig, Activation } from './transformer-config.js';
export { TransformerEncoder } from './transformer-encoder.js';
export type { TransformerEncoderConfig, TransformerEncoderOptions } from './transformer-encoder.js';
export { TransformerDecoder } from './transformer-decoder.js';
export type { TransformerDecoderConfig, TransformerDecoderOptions } from './transformer-decoder.js';
export { Transformer } from './transformer.js';
export type { TransformerConfig, TransformerOptions } from './transformer.js';
export type { AttentionMap, AttentionKind, LayerAttention, StackAttention } from './attention-maps.js';
