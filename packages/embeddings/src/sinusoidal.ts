/**
 * The sinusoidal positional encoding of Vaswani et al. (2017), "Attention Is All You Need", §3.5:
 * PE(pos, 2i) = sin(pos / base^(2i/C)), PE(pos, 2i+1) = cos(pos / base^(2i/C)), base = 10000,
 * added to the token embeddings. Checked against the PyTorch tutorial's `PositionalEncoding`.
 *
 * Porting note: the table is computed in float64 in JavaScript and stored as float32, so every
 * backend adds the same numbers. It is not a parameter or buffer (not in the state dict: it is a
 * function of the config); the tutorial's `pe` buffer is. Its dropout is left to the caller.
 */
import { Module, ShapeError, assertLastDim, assertRank, checkInt, checkNumber, tf } from '@lmkit/tensor';
import { checkPositions } from './positions.js';

export interface SinusoidalOptions {
  /** The first position. Default 0. */
  readonly offset?: number;
  /** The wavelength base. Default 10000. */
  readonly base?: number;
}

/** The encoding of positions offset … offset+T−1: a row-major [T, C] table (C even). */
export function sinusoidalTable(T: number, C: number, options: SinusoidalOptions = {}): Float32Array {
  checkInt('sinusoidalTable(T)', T, 0);
  checkInt('sinusoidalTable(C)', C, 2);
  if (C % 2 !== 0) throw new ShapeError('sinusoidalTable(C)', 'an even model size', String(C));
  const { offset = 0, base = 10000 } = options;
  const out = new Float32Array(T * C);
  for (let i = 0; i < C / 2; i++) {
    const invFreq = Math.exp((-Math.log(base) * 2 * i) / C);
    for (let t = 0; t < T; t++) {
      const angle = (offset + t) * invFreq;
      out[t * C + 2 * i] = Math.sin(angle);
      out[t * C + 2 * i + 1] = Math.cos(angle);
    }
  }
  return out;
}

export interface SinusoidalPositionalEncodingConfig {
  /** The model size C (even). */
  readonly dModel: number;
  /** The number of positions tabulated. Default 5000. */
  readonly maxLen?: number;
  /** The wavelength base. Default 10000. */
  readonly base?: number;
}

export class SinusoidalPositionalEncoding extends Module {
  readonly dModel: number;
  readonly maxLen: number;
  readonly base: number;
  private readonly table: tf.Tensor; // [maxLen, C]

  constructor(config: SinusoidalPositionalEncodingConfig) {
    super();
    this.dModel = checkInt('SinusoidalPositionalEncoding.dModel', config.dModel, 2);
    if (this.dModel % 2 !== 0) throw new ShapeError('SinusoidalPositionalEncoding.dModel', 'an even model size', String(this.dModel));
    this.maxLen = checkInt('SinusoidalPositionalEncoding.maxLen', config.maxLen ?? 5000, 1);
    this.base = checkNumber('SinusoidalPositionalEncoding.base', config.base ?? 10000, Number.MIN_VALUE, Infinity);
    this.table = tf.keep(tf.tensor(sinusoidalTable(this.maxLen, this.dModel, { base: this.base }), [this.maxLen, this.dModel], 'float32'));
  }

  /** x: [B, T, C] (or [T, C]) → x + PE[offset … offset+T−1], same shape. */
  forward(x: tf.Tensor, offset = 0): tf.Tensor {
    this.assertLive();
    assertRank('SinusoidalPositionalEncoding.forward(x)', x, [2, 3]);
    assertLastDim('SinusoidalPositionalEncoding.forward(x)', x, this.dModel);
    const T = x.shape[x.rank - 2]!;
    checkPositions('SinusoidalPositionalEncoding.forward', T, offset, this.maxLen);
    return tf.tidy(() => tf.add(x, tf.slice(this.table, [offset, 0], [T, this.dModel]))); // (B, T, C)
  }

  override dispose(): void {
    this.table.dispose();
    super.dispose();
  }
}
