/**
 * `MultiHeadAttention` (Vaswani et al., 2017, §3.2.2), as `torch.nn.MultiheadAttention` with
 * `batch_first=True` (PyTorch 1.13, `F.multi_head_attention_forward`): queries, keys and values
 * are projected, split into heads, attended with `scaledDotProductAttention`, joined and projected
 * out. Parameters and init follow PyTorch: `in_proj_weight` (3E, E) — or `q_proj_weight` (E, E),
 * `k_proj_weight` (E, kdim), `v_proj_weight` (E, vdim) when kdim or vdim differ from E — all
 * xavier-uniform; `in_proj_bias` (3E) zero; `out_proj` a `Linear` with its bias zeroed.
 *
 * Porting note: `needWeights` defaults to false (PyTorch: true): weights cost a (B, H, Tq, Tk)
 * tensor the output does not need. Ask for them with `needWeights: true`.
 * Porting note: `isCausal` builds the causal mask itself (PyTorch 2.x treats it as a hint that
 * `attn_mask` is causal); a float key padding mask and a float `attnMask` are both added (PyTorch
 * 1.13 rejects that pair). `bias_k`/`bias_v`/`add_zero_attn` are not ported.
 * Porting note: `cache` (a `KVCache`) and `blockSize` have no PyTorch counterpart: see kv-cache.ts
 * and blocked-attention.ts.
 */
import { ConfigError, Linear, Module, Rng, ShapeError, assertDtype, assertLastDim, assertRank, checkInt, checkNumber, init, tf } from '@lmkit/tensor';
import type { KVCache } from './kv-cache.js';
import { MASK_DTYPES, additiveMask } from './masks.js';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';

export interface MultiHeadAttentionConfig {
  /** E, the model width: query size and output size. */
  readonly embedDim: number;
  /** Heads; must divide `embedDim`. */
  readonly numHeads: number;
  /** Biases on the input and output projections. Default true. */
  readonly bias?: boolean;
  /** Dropout on the attention weights in training mode, in [0, 1). Default 0. */
  readonly dropout?: number;
  /** Key size. Default `embedDim`. */
  readonly kdim?: number;
  /** Value size. Default `embedDim`. */
  readonly vdim?: number;
  /** Attend in blocks of this many queries (memory O(block · Tk), same result). Default: all at once. */
  readonly blockSize?: number;
  /** Draws the initial weights and the dropout masks. Default `new Rng(0)`. */
  readonly rng?: Rng;
}

export interface MultiHeadAttentionOptions {
  /** bool (true = may not attend) or float32 (added): (Tq, Tk) or (B·numHeads, Tq, Tk), as PyTorch. */
  readonly attnMask?: tf.Tensor;
  /** bool (true = padding: ignore this key) or float32 (added): (B, Tk). */
  readonly keyPaddingMask?: tf.Tensor;
  /** Query i sees keys up to its own position only (bottom-right aligned, so it works with a cache). Default false. */
  readonly isCausal?: boolean;
  /** Also return the attention weights (after dropout, as PyTorch). Default false. */
  readonly needWeights?: boolean;
  /** Average the returned weights over heads: (B, Tq, Tk); else (B, numHeads, Tq, Tk). Default true. */
  readonly averageWeights?: boolean;
  /**
   * Incremental decoding: a `'self'` cache appends this call's keys and values and attends over
   * all of them; a filled `'cross'` cache is attended as is (`key` and `value` are not read).
   * Tk, for masks, counts every cached step.
   */
  readonly cache?: KVCache;
}

export interface MultiHeadAttentionOutput {
  /** (B, Tq, E) */
  readonly output: tf.Tensor;
  /** (B, Tq, Tk) averaged, or (B, numHeads, Tq, Tk) per head; only with `needWeights`. */
  readonly weights?: tf.Tensor;
}

export class MultiHeadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly blockSize: number | undefined;
  /** (3E, E) when kdim = vdim = E, else null. */
  readonly inProjWeight: tf.Variable | null;
  /** (E, E), (E, kdim), (E, vdim) when kdim or vdim differ from E, else null. */
  readonly qProjWeight: tf.Variable | null;
  readonly kProjWeight: tf.Variable | null;
  readonly vProjWeight: tf.Variable | null;
  /** (3E) */
  readonly inProjBias: tf.Variable | null;
  readonly outProj: Linear;
  private readonly rng: Rng;

  constructor(config: MultiHeadAttentionConfig) {
    super();
    const E = checkInt('MultiHeadAttention.embedDim', config.embedDim, 1);
    const nh = checkInt('MultiHeadAttention.numHeads', config.numHeads, 1);
    if (E % nh !== 0) throw new ConfigError('MultiHeadAttention.numHeads', `a divisor of embedDim (${E})`, nh);
    this.embedDim = E;
    this.numHeads = nh;
    this.headDim = E / nh;
    this.kdim = checkInt('MultiHeadAttention.kdim', config.kdim ?? E, 1);
    this.vdim = checkInt('MultiHeadAttention.vdim', config.vdim ?? E, 1);
    this.dropout = checkNumber('MultiHeadAttention.dropout', config.dropout ?? 0, 0, 1, true);
    this.blockSize = config.blockSize === undefined ? undefined : checkInt('MultiHeadAttention.blockSize', config.blockSize, 1);
    const rng = config.rng ?? new Rng(0);
    const bias = config.bias ?? true;
    if (this.kdim === E && this.vdim === E) {
      this.inProjWeight = this.addParameter('in_proj_weight', init.xavierUniform([3 * E, E], { rng }));
      this.qProjWeight = this.kProjWeight = this.vProjWeight = null;
    } else {
      this.inProjWeight = null;
      this.qProjWeight = this.addParameter('q_proj_weight', init.xavierUniform([E, E], { rng }));
      this.kProjWeight = this.addParameter('k_proj_weight', init.xavierUniform([E, this.kdim], { rng }));
      this.vProjWeight = this.addParameter('v_proj_weight', init.xavierUniform([E, this.vdim], { rng }));
    }
    this.inProjBias = bias ? this.addParameter('in_proj_bias', init.zeros([3 * E])) : null;
    this.outProj = this.addModule('out_proj', new Linear({ inFeatures: E, outFeatures: E, bias, rng }));
    if (this.outProj.bias !== null) {
      const zero = init.zeros([E]);
      this.outProj.bias.assign(zero);
      zero.dispose();
    }
    this.rng = rng.fork();
  }

  /**
   * query (B, Tq, E), key (B, Tk, kdim), value (B, Tk, vdim) → { output (B, Tq, E), weights? }.
   * Self-attention passes the same tensor three times (its projection is then one product).
   */
  forward(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, options: MultiHeadAttentionOptions = {}): MultiHeadAttentionOutput {
    this.assertLive();
    const where = 'MultiHeadAttention.forward';
    const { attnMask, keyPaddingMask, isCausal = false, needWeights = false, averageWeights = true, cache } = options;
    const [E, nh, hs] = [this.embedDim, this.numHeads, this.headDim];
    assertRank(`${where}(query)`, query, [3]);
    assertLastDim(`${where}(query)`, query, E);
    assertRank(`${where}(key)`, key, [3]);
    assertLastDim(`${where}(key)`, key, this.kdim);
    assertRank(`${where}(value)`, value, [3]);
    assertLastDim(`${where}(value)`, value, this.vdim);
    const [B, Tq] = query.shape as [number, number, number];
    if (key.shape[0] !== B || value.shape[0] !== B || key.shape[1] !== value.shape[1]) {
      const actual = `key [${key.shape.join(', ')}] and value [${value.shape.join(', ')}]`;
      throw new ShapeError(`${where}(key, value)`, `batch ${B} and one length Tk for both`, actual);
    }
    cache?.assertFits(`${where}(cache)`, B, nh);
    const reuse = cache?.isFilled ?? false;
    const Tk = reuse ? cache!.length : (cache?.kind === 'self' ? cache.length : 0) + key.shape[1]!;
    if (attnMask !== undefined) {
      assertDtype(`${where}(attnMask)`, attnMask, MASK_DTYPES);
      if (!sameShape(attnMask.shape, [Tq, Tk]) && !sameShape(attnMask.shape, [B * nh, Tq, Tk])) {
        const expected = `shape [Tq, Tk] = [${Tq}, ${Tk}] or [B·numHeads, Tq, Tk] = [${B * nh}, ${Tq}, ${Tk}]`;
        throw new ShapeError(`${where}(attnMask)`, expected, `shape [${attnMask.shape.join(', ')}]`);
      }
    }
    if (keyPaddingMask !== undefined) {
      assertDtype(`${where}(keyPaddingMask)`, keyPaddingMask, MASK_DTYPES);
      if (!sameShape(keyPaddingMask.shape, [B, Tk])) {
        throw new ShapeError(`${where}(keyPaddingMask)`, `shape [B, Tk] = [${B}, ${Tk}]`, `shape [${keyPaddingMask.shape.join(', ')}]`);
      }
    }

    const results = tf.tidy(() => {
      const heads = (x: tf.Tensor) => x.reshape([B, x.shape[1]!, nh, hs]).transpose([0, 2, 1, 3]); // (B, nh, T, hs)
      const selfAttention = query === key && key === value && this.inProjWeight !== null;
      let q: tf.Tensor; // (B, Tq, E)
      let k: tf.Tensor; // (B, nh, Tk, hs)
      let v: tf.Tensor; // (B, nh, Tk, hs)
      if (selfAttention && !reuse) {
        const [q0, k0, v0] = tf.split(linear(query, this.inProjWeight!, this.inProjBias), 3, -1); // 3 × (B, T, E)
        q = q0!;
        [k, v] = [heads(k0!), heads(v0!)];
      } else {
        q = linear(query, ...this.inProjection(0));
        [k, v] = reuse ? cache!.cached! : [heads(linear(key, ...this.inProjection(1))), heads(linear(value, ...this.inProjection(2)))];
      }
      if (cache !== undefined && !reuse) [k, v] = cache.update(k, v);
      let mask: tf.Tensor | undefined;
      if (attnMask !== undefined) mask = additiveMask(attnMask).reshape(attnMask.rank === 2 ? [Tq, Tk] : [B, nh, Tq, Tk]);
      if (keyPaddingMask !== undefined) {
        const padding = additiveMask(keyPaddingMask).reshape([B, 1, 1, Tk]);
        mask = mask === undefined ? padding : tf.add(mask, padding); // (B | 1, nh | 1, Tq | 1, Tk)
      }
      const attended = scaledDotProductAttention(heads(q), k, v, {
        attnMask: mask,
        isCausal,
        dropout: this.training ? this.dropout : 0,
        rng: this.rng,
        returnWeights: needWeights,
        blockSize: this.blockSize,
      });
      const joined = attended.output.transpose([0, 2, 1, 3]).reshape([B, Tq, E]); // (B, Tq, E)
      const output = this.outProj.forward(joined); // (B, Tq, E)
      if (attended.weights === undefined) return [output];
      return [output, averageWeights ? tf.mean(attended.weights, 1) : attended.weights]; // (B, Tq, Tk) or (B, nh, Tq, Tk)
    });
    return results.length === 2 ? { output: results[0]!, weights: results[1]! } : { output: results[0]! };
  }

  /** The q (0), k (1) or v (2) input projection: weight (E, in) and bias (E) or null. */
  private inProjection(i: 0 | 1 | 2): [tf.Tensor, tf.Tensor | null] {
    const E = this.embedDim;
    const bias = this.inProjBias === null ? null : tf.slice(this.inProjBias, [i * E], [E]);
    if (this.inProjWeight !== null) return [tf.slice(this.inProjWeight, [i * E, 0], [E, E]), bias];
    return [[this.qProjWeight, this.kProjWeight, this.vProjWeight][i]!, bias];
  }
}

/** x (B, T, in) · wᵀ (in, out) + b → (B, T, out). */
function linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null): tf.Tensor {
  const [B, T, inFeatures] = x.shape as [number, number, number];
  const y = tf.matMul(x.reshape([B * T, inFeatures]), w, false, true); // (B·T, out)
  return (b === null ? y : tf.add(y, b)).reshape([B, T, w.shape[0]!]);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
