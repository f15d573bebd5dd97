/**
 * Parameter initialisers, as `torch.nn.init`: zeros, ones, constant, normal, uniform,
 * xavier (Glorot & Bengio, 2010), kaiming (He et al., 2015) and orthogonal (Saxe et al., 2014).
 *
 * All draw from a seeded `Rng` in JavaScript, so a seed gives identical values on every backend.
 * Fans follow PyTorch's `_calculate_fan_in_and_fan_out`: for a shape [out, in, ...k],
 * fan_in = in·∏k and fan_out = out·∏k.
 *
 * Porting note: torch draws from its own generator, so values differ from PyTorch's for the same
 * seed; the distributions are the same.
 */
import { ConfigError } from './errors.js';
import { Rng, sizeOf } from './rng.js';
import { tf } from './tf.js';

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
export type FanMode = 'fan_in' | 'fan_out';

/** [fan_in, fan_out] of a weight shape (rank ≥ 2). */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) throw new ConfigError('shape', 'rank ≥ 2 to compute fan in and fan out', shape);
  const receptive = sizeOf(shape.slice(2));
  return [shape[1]! * receptive, shape[0]! * receptive];
}

/** `torch.nn.init.calculate_gain`. */
export function calculateGain(nonlinearity: Nonlinearity, negativeSlope = 0.01): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
      return Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
    case 'selu':
      return 3 / 4;
  }
}

const defaultRng = () => new Rng(0);

export function zeros(shape: readonly number[]): tf.Tensor {
  return tf.zeros([...shape]);
}

export function ones(shape: readonly number[]): tf.Tensor {
  return tf.ones([...shape]);
}

export function constant(shape: readonly number[], value: number): tf.Tensor {
  return tf.fill([...shape], value);
}

export function normal(shape: readonly number[], opts: { mean?: number; std?: number; rng?: Rng } = {}): tf.Tensor {
  const { mean = 0, std = 1, rng = defaultRng() } = opts;
  if (!(std >= 0)) throw new ConfigError('normal(std)', 'a non-negative number', std);
  return rng.randomNormal(shape, mean, std);
}

export function uniform(shape: readonly number[], opts: { low?: number; high?: number; rng?: Rng } = {}): tf.Tensor {
  const { low = 0, high = 1, rng = defaultRng() } = opts;
  if (!(high >= low)) throw new ConfigError('uniform(high)', `≥ low (${low})`, high);
  return rng.randomUniform(shape, low, high);
}

/** U(−a, a) with a = gain·√(6 / (fan_in + fan_out)). */
export function xavierUniform(shape: readonly number[], opts: { gain?: number; rng?: Rng } = {}): tf.Tensor {
  const [fanIn, fanOut] = fans(shape);
  const a = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(shape, { low: -a, high: a, rng: opts.rng });
}

/** N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). */
export function xavierNormal(shape: readonly number[], opts: { gain?: number; rng?: Rng } = {}): tf.Tensor {
  const [fanIn, fanOut] = fans(shape);
  const std = (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  return normal(shape, { std, rng: opts.rng });
}

export interface KaimingOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu only). Default 0. */
  readonly a?: number;
  /** Default 'fan_in'. */
  readonly mode?: FanMode;
  /** Default 'leaky_relu', as PyTorch. */
  readonly nonlinearity?: Nonlinearity;
  readonly rng?: Rng;
}

function kaimingStd(shape: readonly number[], opts: KaimingOptions): number {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = opts;
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new ConfigError('kaiming(mode)', "'fan_in' or 'fan_out'", mode);
  const [fanIn, fanOut] = fans(shape);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/** U(−b, b) with b = gain·√(3 / fan). `Linear`'s default weight init uses a = √5. */
export function kaimingUniform(shape: readonly number[], opts: KaimingOptions = {}): tf.Tensor {
  const bound = Math.sqrt(3) * kaimingStd(shape, opts);
  return uniform(shape, { low: -bound, high: bound, rng: opts.rng });
}

/** N(0, std²) with std = gain / √fan. */
export function kaimingNormal(shape: readonly number[], opts: KaimingOptions = {}): tf.Tensor {
  return normal(shape, { std: kaimingStd(shape, opts), rng: opts.rng });
}

/**
 * A (semi-)orthogonal matrix, as `torch.nn.init.orthogonal_`: the Q of a QR decomposition of a
 * normal matrix, signs fixed by diag(R), transposed when rows < cols, scaled by `gain`. Shapes of
 * rank > 2 are flattened to [shape[0], rest].
 */
export function orthogonal(shape: readonly number[], opts: { gain?: number; rng?: Rng } = {}): tf.Tensor {
  if (shape.length < 2) throw new ConfigError('orthogonal(shape)', 'rank ≥ 2', shape);
  const { gain = 1, rng = defaultRng() } = opts;
  const rows = shape[0]!;
  const cols = sizeOf(shape) / Math.max(rows, 1);
  // Work on a tall matrix m × n (m ≥ n), column-major in Float64.
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  const q = householderQ(a, m, n); // column-major m × n, orthonormal columns
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: out = Q (m = rows); rows < cols: out = Qᵀ (m = cols).
      out[r * cols + c] = gain * (rows >= cols ? q[c * m + r]! : q[r * m + c]!);
    }
  }
  return tf.tensor(out, [...shape], 'float32');
}

/** Thin Q (column-major m × n) of A = QR with R's diagonal made non-negative. */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const vs: Float64Array[] = [];
  const signs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[k * m + i]! ** 2;
    norm = Math.sqrt(norm);
    const akk = a[k * m + k]!;
    const alpha = akk >= 0 ? -norm : norm; // R[k][k] = alpha
    signs[k] = alpha < 0 ? -1 : 1;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = a[k * m + i]!;
    v[k] = akk - alpha;
    let vnorm = 0;
    for (let i = k; i < m; i++) vnorm += v[i]! ** 2;
    if (vnorm > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i]! * a[j * m + i]!;
        const f = (2 * dot) / vnorm;
        for (let i = k; i < m; i++) a[j * m + i] = a[j * m + i]! - f * v[i]!;
      }
    }
    vs.push(v);
  }
  // Q = H0 H1 … H(n-1) applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    let vnorm = 0;
    for (let i = k; i < m; i++) vnorm += v[i]! ** 2;
    if (vnorm === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * q[j * m + i]!;
      const f = (2 * dot) / vnorm;
      for (let i = k; i < m; i++) q[j * m + i] = q[j * m + i]! - f * v[i]!;
    }
  }
  // Make diag(R) non-negative: flip the columns of Q where R[k][k] < 0.
  for (let j = 0; j < n; j++) {
    if (signs[j]! < 0) for (let i = 0; i < m; i++) q[j * m + i] = -q[j * m + i]!;
  }
  return q;
}
