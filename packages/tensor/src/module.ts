/**
 * `Module`: the base of every lmkit layer, after `torch.nn.Module`. A module owns named
 * parameters (trainable `tf.Variable`s), buffers (non-trainable state) and submodules; its
 * computation is `forward(...)`. Dotted names (`encoder.0.self_attn.in_proj_weight`) and layouts
 * follow PyTorch's `state_dict`, so weights move between the two through safetensors.
 *
 * Porting note: PyTorch registers attributes implicitly on assignment; here a subclass calls
 * `addParameter`, `addBuffer` and `addModule` explicitly, which keeps registration order (and so
 * `stateDict()` order) visible in the constructor.
 */
import { LmkitError, StateDictError } from './errors.js';
import { tf } from './tf.js';

export interface LoadStateDictOptions {
  /** Default true: every key of the module must be present and no other key may be. */
  readonly strict?: boolean;
}

export interface LoadStateDictResult {
  readonly missing: string[];
  readonly unexpected: string[];
}

export abstract class Module {
  /** Training mode (dropout active). `train()` / `eval()` set it on the whole tree. */
  training = true;
  private readonly params = new Map<string, tf.Variable>();
  private readonly buffers = new Map<string, tf.Variable>();
  private readonly children = new Map<string, Module>();
  private disposed = false;

  /** The computation. Subclasses narrow the signature. */
  abstract forward(...args: never[]): unknown;

  /** Registers `value` as a trainable parameter; the module owns it from now on. */
  protected addParameter(name: string, value: tf.Tensor): tf.Variable {
    this.checkName(name);
    const v = tf.variable(value, true);
    value.dispose();
    this.params.set(name, v);
    return v;
  }

  /** Registers non-trainable state saved in the state dict (running statistics, fixed tables). */
  protected addBuffer(name: string, value: tf.Tensor): tf.Variable {
    this.checkName(name);
    const v = tf.variable(value, false);
    value.dispose();
    this.buffers.set(name, v);
    return v;
  }

  /** Registers a submodule under `name`. */
  protected addModule<M extends Module>(name: string, module: M): M {
    this.checkName(name);
    this.children.set(name, module);
    return module;
  }

  private checkName(name: string): void {
    if (name === '' || name.includes('.')) throw new LmkitError(`module attribute name '${name}' must be non-empty and without '.'`);
    if (this.params.has(name) || this.buffers.has(name) || this.children.has(name)) {
      throw new LmkitError(`module attribute '${name}' is already registered`);
    }
  }

  /** Submodules with their dotted names, this module first (as ''). */
  namedModules(prefix = ''): Array<[string, Module]> {
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [name, child] of this.children) out.push(...child.namedModules(join(prefix, name)));
    return out;
  }

  /** Trainable parameters with dotted names, in registration order. */
  namedParameters(): Array<[string, tf.Variable]> {
    const out: Array<[string, tf.Variable]> = [];
    for (const [path, m] of this.namedModules()) for (const [name, p] of m.params) out.push([join(path, name), p]);
    return out;
  }

  /** Trainable parameters, in registration order. */
  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Buffers with dotted names. */
  namedBuffers(): Array<[string, tf.Variable]> {
    const out: Array<[string, tf.Variable]> = [];
    for (const [path, m] of this.namedModules()) for (const [name, b] of m.buffers) out.push([join(path, name), b]);
    return out;
  }

  /** Parameters and buffers by dotted name. The tensors are the module's own: do not dispose them. */
  stateDict(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [path, m] of this.namedModules()) {
      for (const [name, p] of m.params) out[join(path, name)] = p;
      for (const [name, b] of m.buffers) out[join(path, name)] = b;
    }
    return out;
  }

  /**
   * Copies values from `dict` into this module's parameters and buffers. Every name, shape and
   * dtype is checked first; on any mismatch a `StateDictError` lists what is missing, unexpected
   * and misshapen, and nothing is written. With `strict: false`, missing and unexpected names are
   * allowed (and returned), but shapes and dtypes must still match.
   */
  loadStateDict(dict: Readonly<Record<string, tf.Tensor>>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const { strict = true } = options;
    this.assertLive();
    const own = this.stateDict();
    const missing = Object.keys(own).filter((k) => !(k in dict));
    const unexpected = Object.keys(dict).filter((k) => !(k in own));
    const mismatched: string[] = [];
    for (const [k, target] of Object.entries(own)) {
      const src = dict[k];
      if (src === undefined) continue;
      if (!sameShape(src.shape, target.shape)) {
        mismatched.push(`${k}: expected shape [${target.shape.join(', ')}], got [${src.shape.join(', ')}]`);
      } else if (src.dtype !== target.dtype) {
        mismatched.push(`${k}: expected dtype ${target.dtype}, got ${src.dtype}`);
      }
    }
    if (mismatched.length > 0 || (strict && (missing.length > 0 || unexpected.length > 0))) {
      throw new StateDictError(missing, unexpected, mismatched);
    }
    for (const [k, target] of Object.entries(own)) {
      const src = dict[k];
      if (src !== undefined) (target as tf.Variable).assign(src);
    }
    return { missing, unexpected };
  }

  /** Sets training mode on this module and every submodule. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`). */
  eval(): this {
    return this.train(false);
  }

  /** The number of trainable scalars. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Frees every parameter and buffer of the tree. The module cannot be used afterwards. */
  dispose(): void {
    for (const [, m] of this.namedModules()) {
      if (m.disposed) continue;
      for (const p of m.params.values()) p.dispose();
      for (const b of m.buffers.values()) b.dispose();
      m.disposed = true;
    }
  }

  /** Throws if the module was disposed. */
  protected assertLive(): void {
    if (this.disposed) throw new LmkitError(`${this.constructor.name} was disposed`);
  }
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
