/**
 * Axial positional encoding (Kitaev et al., 2020, "Reformer: The Efficient Transformer", §5; trax
 * `AxialPositionalEncoding`): for a long sequence of n₁·n₂·… positions, position p = (i₁, i₂, …)
 * in row-major order gets the concatenation of one learned vector per axis, [w₁[i₁], w₂[i₂], …],
 * of sizes d₁ + d₂ + … = C. Parameters fall from n·C to Σ nₖ·dₖ.
 *
 * Parameter names and layouts follow Hugging Face's `AxialPositionEmbeddings`: `weights.k` has
 * shape [1, …, nₖ, …, 1, dₖ] (nₖ at axis k), init N(0, 1).
 *
 * Porting note: Hugging Face requires T = n₁·n₂·… in training; here any T ≤ ∏nₖ − offset works in
 * both modes (the first positions are used), and its per-axis dropout is left to the caller.
 */
import { ConfigError, Module, Rng, assertLastDim, assertRank, checkInt, checkNumber, tf } from '@lmkit/tensor';
import { checkPositions } from './positions.js';

export interface AxialPositionalEncodingConfig {
  /** Positions per axis, n₁, n₂, …; their product is the longest sequence. E.g. [64, 64]. */
  readonly axialShape: readonly number[];
  /** Encoding size per axis, d₁, d₂, …; their sum is the model size C. E.g. [64, 192]. */
  readonly axialDims: readonly number[];
  /** Init N(0, initStd²). Default 1 (Hugging Face's `axial_norm_std`). */
  readonly initStd?: number;
  /** Default `new Rng(0)`. */
  readonly rng?: Rng;
}

/** The per-axis weights, a submodule so that their names are `weights.0`, `weights.1`, … */
class AxialWeights extends Module {
  readonly list: tf.Variable[] = [];

  constructor(shape: readonly number[], dims: readonly number[], std: number, rng: Rng) {
    super();
    dims.forEach((d, k) => {
      const wShape = [...shape.map((n, j) => (j === k ? n : 1)), d]; // (1, …, n_k, …, 1, d_k)
      this.list.push(this.addParameter(String(k), rng.randomNormal(wShape, 0, std)));
    });
  }

  forward(): tf.Variable[] {
    return this.list;
  }
}

export class AxialPositionalEncoding extends Module {
  readonly axialShape: readonly number[];
  readonly axialDims: readonly number[];
  /** ∏ nₖ, the number of positions. */
  readonly maxLen: number;
  /** Σ dₖ, the model size C. */
  readonly dModel: number;
  readonly weights: AxialWeights;

  constructor(config: AxialPositionalEncodingConfig) {
    super();
    const { axialShape, axialDims } = config;
    if (axialShape.length === 0 || axialShape.length !== axialDims.length) {
      throw new ConfigError('AxialPositionalEncoding.axialDims', `one size per axis of axialShape (${axialShape.length})`, axialDims);
    }
    this.axialShape = axialShape.map((n, k) => checkInt(`AxialPositionalEncoding.axialShape[${k}]`, n, 1));
    this.axialDims = axialDims.map((d, k) => checkInt(`AxialPositionalEncoding.axialDims[${k}]`, d, 1));
    this.maxLen = this.axialShape.reduce((a, b) => a * b, 1);
    this.dModel = this.axialDims.reduce((a, b) => a + b, 0);
    const std = checkNumber('AxialPositionalEncoding.initStd', config.initStd ?? 1, 0, Infinity);
    this.weights = this.addModule('weights', new AxialWeights(this.axialShape, this.axialDims, std, config.rng ?? new Rng(0)));
  }

  /** x: [B, T, C] (or [T, C]) → x + PE[offset … offset+T−1], same shape. */
  forward(x: tf.Tensor, offset = 0): tf.Tensor {
    this.assertLive();
    assertRank('AxialPositionalEncoding.forward(x)', x, [2, 3]);
    assertLastDim('AxialPositionalEncoding.forward(x)', x, this.dModel);
    const T = x.shape[x.rank - 2]!;
    checkPositions('AxialPositionalEncoding.forward', T, offset, this.maxLen);
    return tf.tidy(() => {
      const parts = this.weights.list.map((w, k) => tf.broadcastTo(w, [...this.axialShape, this.axialDims[k]!])); // (n1, n2, …, d_k)
      const table = tf.concat(parts, -1).reshape([this.maxLen, this.dModel]); // (n1·n2·…, C)
      return tf.add(x, tf.slice(table, [offset, 0], [T, this.dModel])); // (B, T, C)
    });
  }
}
