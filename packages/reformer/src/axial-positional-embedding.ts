/**
 * `AxialPositionalEmbedding`: learned positions factorised over a grid (Reformer; Hugging Face
 * `AxialPositionEmbeddings`). Position t = i·n₂ + j gets [w₀[i]; w₁[j]], with w₀: [n₁, 1, d₁] and
 * w₁: [1, n₂, d₂], d₁ + d₂ = dModel, so n₁·n₂ positions cost (n₁·d₁ + n₂·d₂) parameters.
 *
 * Porting note: implemented here because `@lmkit/embeddings` does not exist yet; a later change can
 * switch to it. Parameter names (`weights.0`, `weights.1`) and shapes follow Hugging Face. Hugging
 * Face requires T = n₁·n₂ in training; here any T ≤ n₁·n₂ takes the first T positions.
 */
import { tf, Module, Rng, ConfigError, ShapeError, checkInt, checkNumber } from '@lmkit/tensor';

export interface AxialPositionalEmbeddingConfig {
  readonly dModel: number;
  /** The grid [n₁, n₂]; n₁·n₂ is the longest sequence. */
  readonly shape: readonly [number, number];
  /** [d₁, d₂] with d₁ + d₂ = dModel. Default [⌊dModel/2⌋, dModel − ⌊dModel/2⌋]. */
  readonly dims?: readonly [number, number];
  /** Standard deviation of the normal init. Default 1 (Hugging Face's `axial_norm_std`). */
  readonly std?: number;
  /** Default 0. */
  readonly seed?: number;
}

/** The two factor tables, named "0" and "1" as a PyTorch `ParameterList`. */
class AxialWeights extends Module {
  readonly tables: readonly [tf.Variable, tf.Variable];
  constructor(w0: tf.Tensor, w1: tf.Tensor) {
    super();
    this.tables = [this.addParameter('0', w0), this.addParameter('1', w1)];
  }
  forward(): readonly [tf.Variable, tf.Variable] {
    return this.tables;
  }
}

export class AxialPositionalEmbedding extends Module {
  readonly dModel: number;
  readonly shape: readonly [number, number];
  readonly dims: readonly [number, number];
  readonly weights: AxialWeights;

  constructor(config: AxialPositionalEmbeddingConfig) {
    super();
    this.dModel = checkInt('AxialPositionalEmbedding.dModel', config.dModel, 2);
    const shape = config.shape;
    if (!Array.isArray(shape) || shape.length !== 2) throw new ConfigError('AxialPositionalEmbedding.shape', 'a pair [n₁, n₂]', shape);
    this.shape = [checkInt('AxialPositionalEmbedding.shape[0]', shape[0], 1), checkInt('AxialPositionalEmbedding.shape[1]', shape[1], 1)];
    const half = Math.floor(this.dModel / 2);
    const dims = config.dims ?? [half, this.dModel - half];
    const d1 = checkInt('AxialPositionalEmbedding.dims[0]', dims[0], 1, this.dModel - 1);
    const d2 = checkInt('AxialPositionalEmbedding.dims[1]', dims[1], 1, this.dModel - 1);
    if (d1 + d2 !== this.dModel) throw new ConfigError('AxialPositionalEmbedding.dims', `two sizes summing to dModel ${this.dModel}`, dims);
    this.dims = [d1, d2];
    const std = checkNumber('AxialPositionalEmbedding.std', config.std ?? 1, 0, Infinity);
    const rng = new Rng(checkInt('AxialPositionalEmbedding.seed', config.seed ?? 0, -(2 ** 31), 2 ** 32 - 1));
    const [n1, n2] = this.shape;
    this.weights = this.addModule('weights', new AxialWeights(rng.randomNormal([n1, 1, d1], 0, std), rng.randomNormal([1, n2, d2], 0, std)));
  }

  /** The first `T` positions: [T, dModel]. */
  forward(T: number): tf.Tensor {
    this.assertLive();
    const [n1, n2] = this.shape;
    if (!Number.isInteger(T) || T < 1 || T > n1 * n2) throw new ShapeError('AxialPositionalEmbedding.forward(T)', `a length in [1, ${n1 * n2}] (axial shape [${n1}, ${n2}])`, `${T}`);
    return tf.tidy(() => {
      const [w0, w1] = this.weights.forward();
      const grid = tf.concat([tf.broadcastTo(w0, [n1, n2, this.dims[0]]), tf.broadcastTo(w1, [n1, n2, this.dims[1]])], -1); // (n₁, n₂, dModel)
      return tf.slice(grid.reshape([n1 * n2, this.dModel]), [0, 0], [T, this.dModel]); // (T, dModel)
    });
  }
}
