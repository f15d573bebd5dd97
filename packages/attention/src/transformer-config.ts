/**
 * The config the transformer layers share, as the arguments of `torch.nn.TransformerEncoderLayer`
 * and `TransformerDecoderLayer` (PyTorch 1.13) with `batch_first=True`, and the position-wise
 * feed-forward block both use: linear2(dropout(activation(linear1(x)))) (Vaswani et al., 2017, §3.3).
 *
 * Porting note: GELU is the exact one, x·Φ(x) with erf, as PyTorch's default `F.gelu`.
 */
import { ConfigError, type Dropout, type Linear, Rng, checkInt, checkNumber, tf } from '@lmkit/tensor';

export type Activation = 'relu' | 'gelu';

export interface TransformerLayerConfig {
  /** Model width E. */
  readonly dModel: number;
  /** Attention heads; must divide `dModel`. */
  readonly nHead: number;
  /** Width of the feed-forward block. Default 2048 (PyTorch's). */
  readonly dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block, on attention weights. Default 0.1 (PyTorch's). */
  readonly dropout?: number;
  /** Feed-forward activation. Default 'relu'. */
  readonly activation?: Activation;
  /** LayerNorm epsilon. Default 1e-5. */
  readonly layerNormEps?: number;
  /** Pre-LN (norm before attention and feed-forward, Xiong et al., 2020) instead of post-LN. Default false. */
  readonly normFirst?: boolean;
  /** Attend in blocks of this many queries (see `MultiHeadAttentionConfig.blockSize`). Default: all at once. */
  readonly blockSize?: number;
  /** Draws the initial weights and dropout masks. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

/** A config with every default filled in and every field checked. */
export interface ResolvedLayerConfig {
  readonly dModel: number;
  readonly nHead: number;
  readonly dimFeedforward: number;
  readonly dropout: number;
  readonly activation: Activation;
  readonly layerNormEps: number;
  readonly normFirst: boolean;
  readonly blockSize: number | undefined;
  readonly rng: Rng;
}

/** Checks `config` (naming fields as `${owner}.field`) and fills in the defaults. */
export function resolveLayerConfig(owner: string, config: TransformerLayerConfig): ResolvedLayerConfig {
  const dModel = checkInt(`${owner}.dModel`, config.dModel, 1);
  const nHead = checkInt(`${owner}.nHead`, config.nHead, 1);
  if (dModel % nHead !== 0) throw new ConfigError(`${owner}.nHead`, `a divisor of dModel (${dModel})`, nHead);
  const activation = config.activation ?? 'relu';
  if (activation !== 'relu' && activation !== 'gelu') throw new ConfigError(`${owner}.activation`, "'relu' or 'gelu'", activation);
  return {
    dModel,
    nHead,
    dimFeedforward: checkInt(`${owner}.dimFeedforward`, config.dimFeedforward ?? 2048, 1),
    dropout: checkNumber(`${owner}.dropout`, config.dropout ?? 0.1, 0, 1, true),
    activation,
    layerNormEps: checkNumber(`${owner}.layerNormEps`, config.layerNormEps ?? 1e-5, 0, Infinity),
    normFirst: config.normFirst ?? false,
    blockSize: config.blockSize === undefined ? undefined : checkInt(`${owner}.blockSize`, config.blockSize, 1),
    rng: config.rng ?? new Rng(0),
  };
}

/** The feed-forward block: x (B, T, E) → linear2(dropout(activation(linear1(x)))) (B, T, E). */
export function feedForward(x: tf.Tensor, linear1: Linear, activation: Activation, dropout: Dropout, linear2: Linear): tf.Tensor {
  return tf.tidy(() => {
    const h = linear1.forward(x); // (B, T, F)
    const a = activation === 'relu' ? tf.relu(h) : tf.mul(h, tf.mul(0.5, tf.add(1, tf.erf(tf.mul(h, Math.SQRT1_2))))); // (B, T, F)
    return linear2.forward(dropout.forward(a)); // (B, T, E)
  });
}
