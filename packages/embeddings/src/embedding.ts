/**
 * `Embedding`: a lookup table from token ids to vectors, as `torch.nn.Embedding` (weight [V, E],
 * init N(0, 1), the `paddingIdx` row zeroed at init and given no gradient, `maxNorm` renormalising
 * the looked-up rows in place), and `TiedOutputProjection`, the output layer that shares that
 * weight (logits = h·Wᵀ; Press & Wolf, 2017, "Using the Output Embedding to Improve Language
 * Models").
 *
 * Porting note: ids must be an int32 tensor (or a nested array of integers); torch takes int64.
 * Porting note: `maxNorm` uses the L2 norm (torch's default `norm_type = 2`); other norms,
 * `scale_grad_by_freq` and `sparse` are not offered.
 * Porting note: torch checks ids on the device; here they are checked in JavaScript, always for
 * nested arrays and on the cpu and wasm backends (whose tensors live in host memory), while on GPU
 * backends a tensor's ids are checked only by `await checkIds(ids)` — a synchronous read there
 * would stall the device (and needs `OffscreenCanvas`, which Node lacks).
 * Porting note: a model holding both `Embedding` and `TiedOutputProjection` lists the shared
 * weight once in its state dict (under the embedding's name); PyTorch lists it under both names.
 */
import { Module, Rng, ShapeError, assertLastDim, checkInt, checkNumber, tf } from '@lmkit/tensor';
import { TokenIdError } from './errors.js';

/** Token ids as nested arrays: [T] or [B, T]. */
export type NestedIds = readonly number[] | readonly (readonly number[])[];

export interface EmbeddingOptions {
  /**
   * This id's row is zero at init and receives no gradient (a padding token). Negative values
   * count from the end, as in torch. Default none.
   */
  readonly paddingIdx?: number;
  /** Rows looked up with an L2 norm above this are rescaled to it in place. Default none. */
  readonly maxNorm?: number;
  /** Draws the N(0, 1) init. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row, normalised to [0, V); null when none. */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly weight: tf.Variable; // [V, E]

  /** A table of `numEmbeddings` (V) vectors of size `embeddingDim` (E). */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = checkInt('Embedding.numEmbeddings', numEmbeddings, 1);
    this.embeddingDim = checkInt('Embedding.embeddingDim', embeddingDim, 1);
    const V = this.numEmbeddings;
    const E = this.embeddingDim;
    this.paddingIdx = options.paddingIdx === undefined ? null : checkInt('Embedding.paddingIdx', options.paddingIdx, -V, V - 1);
    if (this.paddingIdx !== null && this.paddingIdx < 0) this.paddingIdx += V;
    this.maxNorm = options.maxNorm === undefined ? null : checkNumber('Embedding.maxNorm', options.maxNorm, Number.MIN_VALUE, Infinity);
    const w = (options.rng ?? new Rng(0)).normalArray(V * E); // torch's init: N(0, 1)
    if (this.paddingIdx !== null) w.fill(0, this.paddingIdx * E, (this.paddingIdx + 1) * E);
    this.weight = this.addParameter('weight', tf.tensor(w, [V, E], 'float32'));
  }

  /**
   * ids: int32 [B, T] (any shape [...S]) → [B, T, E] ([...S, E]). Nested arrays are accepted too.
   * Throws a `TokenIdError` for ids outside [0, V) and a `ShapeError` for a non-int32 tensor.
   */
  forward(ids: tf.Tensor | NestedIds): tf.Tensor {
    this.assertLive();
    const owned = !(ids instanceof tf.Tensor);
    const idx = owned ? idsTensor('Embedding.forward(ids)', ids, this.numEmbeddings) : ids;
    try {
      if (!owned) {
        assertIntIds('Embedding.forward(ids)', idx);
        if (hostBackend()) checkRange('Embedding.forward(ids)', idx.dataSync(), this.numEmbeddings);
      }
      if (this.maxNorm !== null) this.renorm(idx, this.maxNorm);
      return tf.tidy(() => this.lookup(idx));
    } finally {
      if (owned) idx.dispose();
    }
  }

  /** Checks every id of `ids` is in [0, V) on any backend (reads the tensor asynchronously). */
  async checkIds(ids: tf.Tensor): Promise<void> {
    assertIntIds('Embedding.checkIds(ids)', ids);
    checkRange('Embedding.checkIds(ids)', await ids.data(), this.numEmbeddings);
  }

  private lookup(ids: tf.Tensor): tf.Tensor {
    const S = ids.shape;
    const flatIds = ids.reshape([-1]) as tf.Tensor1D; // (N)
    if (this.paddingIdx === null) return tf.gather(this.weight, flatIds).reshape([...S, this.embeddingDim]);
    // The padding row is looked up like any other but its rows of the incoming gradient are
    // zeroed, so the table's padding row never changes.
    const keep = tf.notEqual(flatIds, this.paddingIdx).cast('float32').reshape([-1, 1]); // (N, 1)
    const V = this.numEmbeddings;
    const gatherNoPadGrad = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [w, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([keep, flatIds]); // the gradient runs after this tidy has freed its tensors
      return {
        value: tf.gather(w, flatIds), // (N, E)
        gradFunc: (dy: tf.Tensor, [k, i]: tf.Tensor[]) => tf.unsortedSegmentSum(tf.mul(dy, k!), i as tf.Tensor1D, V), // (V, E)
      };
    });
    return (gatherNoPadGrad(this.weight) as tf.Tensor).reshape([...S, this.embeddingDim]);
  }

  /** torch's `embedding_renorm_`: rows looked up with ‖w‖₂ > maxNorm become w·maxNorm/(‖w‖₂ + 1e-7). */
  private renorm(ids: tf.Tensor, maxNorm: number): void {
    const scaled = tf.tidy(() => {
      const flatIds = ids.reshape([-1]) as tf.Tensor1D; // (N)
      const used = tf.greater(tf.unsortedSegmentSum(tf.ones(flatIds.shape), flatIds, this.numEmbeddings), 0); // (V)
      const norms = tf.norm(this.weight, 'euclidean', 1); // (V)
      const scale = tf.where(tf.logicalAnd(used, tf.greater(norms, maxNorm)), tf.div(maxNorm, tf.add(norms, 1e-7)), tf.onesLike(norms));
      return tf.mul(this.weight, scale.reshape([-1, 1])); // (V, E)
    });
    this.weight.assign(scaled);
    scaled.dispose();
  }
}

export interface TiedOutputProjectionOptions {
  /** Learn a bias [V], initialised to zeros. Default false. */
  readonly bias?: boolean;
}

/**
 * The output layer tied to an `Embedding`: logits = h·Wᵀ (+ b), with W the embedding's own weight
 * variable, so one parameter is trained through both uses.
 */
export class TiedOutputProjection extends Module {
  readonly embedding: Embedding;
  readonly bias: tf.Variable | null; // [V]

  constructor(embedding: Embedding, options: TiedOutputProjectionOptions = {}) {
    super();
    this.embedding = embedding;
    this.bias = options.bias === true ? this.addParameter('bias', tf.zeros([embedding.numEmbeddings])) : null;
  }

  /** h: [..., E] → logits [..., V]. */
  forward(h: tf.Tensor): tf.Tensor {
    this.assertLive();
    const { embeddingDim: E, numEmbeddings: V } = this.embedding;
    assertLastDim('TiedOutputProjection.forward(h)', h, E);
    return tf.tidy(() => {
      const lead = h.shape.slice(0, -1);
      let logits = tf.matMul(h.reshape([-1, E]), this.embedding.weight, false, true); // (N, V)
      if (this.bias !== null) logits = tf.add(logits, this.bias);
      return logits.reshape([...lead, V]);
    });
  }
}

/** True on backends whose tensors live in host memory, where a synchronous read costs nothing. */
function hostBackend(): boolean {
  const name = tf.getBackend();
  return name === 'cpu' || name === 'wasm';
}

function assertIntIds(argument: string, ids: tf.Tensor): void {
  if (ids.dtype !== 'int32') {
    throw new ShapeError(argument, 'dtype int32 (token ids; cast float ids with tf.cast(ids, "int32") once they are whole numbers)', `dtype ${ids.dtype}`);
  }
}

function checkRange(argument: string, values: ArrayLike<number>, V: number): void {
  for (let i = 0; i < values.length; i++) {
    const id = values[i]!;
    if (!(id >= 0 && id < V)) throw new TokenIdError(argument, `id ${id} at flat position ${i} is outside [0, ${V - 1}]`);
  }
}

/** An int32 tensor from nested ids, every one checked to be an integer in [0, V). */
function idsTensor(argument: string, ids: NestedIds, V: number): tf.Tensor {
  const rows = ids.length > 0 && Array.isArray(ids[0]) ? (ids as readonly (readonly number[])[]) : [ids as readonly number[]];
  const T = rows[0]?.length ?? 0;
  const flat = new Int32Array(rows.length * T);
  rows.forEach((row, b) => {
    if (!Array.isArray(row) || row.length !== T) throw new ShapeError(argument, `rows of equal length ${T}`, `row ${b} of length ${Array.isArray(row) ? row.length : 'none'}`);
    row.forEach((id, t) => {
      if (!Number.isInteger(id)) throw new TokenIdError(argument, `id ${String(id)} at [${b}, ${t}] is not an integer`);
      if (id < 0 || id >= V) throw new TokenIdError(argument, `id ${id} at [${b}, ${t}] is outside [0, ${V - 1}]`);
      flat[b * T + t] = id;
    });
  });
  return tf.tensor(flat, rows === ids ? [rows.length, T] : [T], 'int32');
}
