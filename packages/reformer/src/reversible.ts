/**
 * Reversible residual layers (Gomez et al. 2017, "The Reversible Residual Network"; Reformer §3;
 * trax `ReversibleSerial` / `ReversibleHalfResidual`): a block maps (x₁, x₂) to
 * y₁ = x₁ + f(x₂), y₂ = x₂ + g(y₁), so its inputs follow from its outputs:
 * x₂ = y₂ − g(y₁), x₁ = y₁ − f(x₂). `ReversibleSequence` uses that in a custom gradient: the
 * forward pass keeps only the sequence's output, and the backward pass walks the blocks from the
 * last, recomputing each block's input and its local gradients, so activation memory does not
 * grow with depth.
 *
 * What must be replayed is saved explicitly, as in trax: each f and g call gets a `Replay` that
 * records its seed (dropout, hash rotations) and LSH buckets in the forward pass; the backward
 * pass runs f and g again with the same records, so it differentiates the forward actually run.
 *
 * Porting note: tfjs's `customGrad` returns one tensor, so the sequence's custom op returns
 * [y₁; y₂] concatenated on the last axis and splits it; its inputs are x₁, x₂ and every
 * parameter of the blocks, and its gradient function returns their gradients, which is how
 * parameter gradients reach an enclosing `tf.variableGrads`. The local gradients use
 * `localGradients` (tape.ts), which keeps the outer tape intact.
 */
import { tf, Module } from '@lmkit/tensor';
import { Replay, type BlockOptions } from './replay.js';
import { localGradients, recordingGradients } from './tape.js';

/** A block function f or g: [B, T, C] → [B, T, C], taking the block options (mask, replay). */
export interface BlockFunction extends Module {
  forward(x: tf.Tensor, options?: BlockOptions): tf.Tensor;
}

/** Options of a reversible forward pass. */
export interface ReversibleOptions {
  /** [B, T], true (or non-zero) = padding; passed to every f and g. */
  readonly keyPaddingMask?: tf.Tensor;
}

/** What one block's f and g calls record. */
interface BlockReplay {
  readonly f: Replay;
  readonly g: Replay;
}

export class ReversibleBlock extends Module {
  constructor(
    readonly f: BlockFunction,
    readonly g: BlockFunction,
  ) {
    super();
    this.addModule('f', f);
    this.addModule('g', g);
  }

  /** (x₁, x₂) → (y₁ = x₁ + f(x₂), y₂ = x₂ + g(y₁)), all [B, T, C]. */
  forward(x1: tf.Tensor, x2: tf.Tensor, options: ReversibleOptions = {}, replay?: BlockReplay): [tf.Tensor, tf.Tensor] {
    this.assertLive();
    return tf.tidy(() => {
      const y1 = tf.add(x1, this.f.forward(x2, { keyPaddingMask: options.keyPaddingMask, replay: replay?.f }));
      const y2 = tf.add(x2, this.g.forward(y1, { keyPaddingMask: options.keyPaddingMask, replay: replay?.g }));
      return [y1, y2] as [tf.Tensor, tf.Tensor];
    });
  }

  /** (y₁, y₂) → (x₁, x₂): the inputs that produced them (exact up to rounding). */
  reverse(y1: tf.Tensor, y2: tf.Tensor, options: ReversibleOptions = {}, replay?: BlockReplay): [tf.Tensor, tf.Tensor] {
    this.assertLive();
    return tf.tidy(() => {
      const x2 = tf.sub(y2, this.g.forward(y1, { keyPaddingMask: options.keyPaddingMask, replay: replay?.g }));
      const x1 = tf.sub(y1, this.f.forward(x2, { keyPaddingMask: options.keyPaddingMask, replay: replay?.f }));
      return [x1, x2] as [tf.Tensor, tf.Tensor];
    });
  }
}

export class ReversibleSequence extends Module {
  readonly blocks: readonly ReversibleBlock[];

  constructor(blocks: readonly ReversibleBlock[]) {
    super();
    this.blocks = [...blocks];
    this.blocks.forEach((block, i) => this.addModule(String(i), block));
  }

  /**
   * (x₁, x₂) → [y₁, y₂], all [B, T, C], with the memory-saving backward pass. Outside a gradient
   * computation it is `forwardStored`.
   * @example const [y1, y2] = seq.forward(x, x, { keyPaddingMask });
   */
  forward(x1: tf.Tensor, x2: tf.Tensor, options: ReversibleOptions = {}): [tf.Tensor, tf.Tensor] {
    this.assertLive();
    if (!recordingGradients()) return this.forwardStored(x1, x2, options);
    const params = uniqueParameters(this);
    const mask = options.keyPaddingMask;
    const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const save = args[args.length - 1] as tf.GradSaveFunc;
      const replays = this.blocks.map(() => ({ f: new Replay(), g: new Replay() }));
      const [x1, x2] = [args[0] as tf.Tensor, args[1] as tf.Tensor];
      let [h1, h2] = [x1, x2];
      this.blocks.forEach((block, i) => {
        const next = block.forward(h1, h2, options, replays[i]);
        if (h1 !== x1) tf.dispose([h1, h2]); // only one block's output is alive at a time
        [h1, h2] = next;
      });
      const y = tf.concat([h1, h2], -1); // (B, T, 2C)
      if (h1 !== x1) tf.dispose([h1, h2]);
      // Saved for the backward pass: the output, the mask and every recorded bucket tensor.
      const records = replays.flatMap((r) => [r.f, r.g]);
      const bucketed = records.map((r) => r.buckets !== undefined);
      save([y, ...(mask === undefined ? [] : [mask]), ...records.flatMap((r) => (r.buckets === undefined ? [] : [r.buckets]))]);
      const seeds = records.map((r) => r.seed);
      records.forEach((r) => r.dispose()); // `save` kept its own copies
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => this.backward(dy, saved, mask !== undefined, seeds, bucketed, params),
      };
    });
    const y = run(x1, x2, ...params);
    const [y1, y2] = tf.split(y, 2, -1) as [tf.Tensor, tf.Tensor];
    y.dispose();
    return [y1, y2];
  }

  /**
   * The same blocks run as ordinary residual layers: tfjs keeps every block's activations for
   * the backward pass. For comparison (and what `forward` does when no gradient is recorded).
   */
  forwardStored(x1: tf.Tensor, x2: tf.Tensor, options: ReversibleOptions = {}): [tf.Tensor, tf.Tensor] {
    this.assertLive();
    return tf.tidy(() => {
      let [h1, h2] = [x1, x2];
      for (const block of this.blocks) [h1, h2] = block.forward(h1, h2, options);
      return [h1.clone(), h2.clone()] as [tf.Tensor, tf.Tensor];
    });
  }

  /** The custom gradient: reconstructs each block's input from its output, last block first. */
  private backward(dy: tf.Tensor, saved: tf.Tensor[], hasMask: boolean, seeds: Array<number | undefined>, bucketed: boolean[], params: tf.Variable[]): tf.Tensor[] {
    const [y, ...rest] = saved as [tf.Tensor, ...tf.Tensor[]];
    const keyPaddingMask = hasMask ? rest.shift() : undefined;
    // Replays rebuilt from the saved seeds and buckets (the engine frees the saved tensors).
    const records = seeds.map((seed, i) => {
      const r = new Replay();
      r.seed = seed;
      if (bucketed[i]) r.buckets = rest.shift();
      return r;
    });
    const options: BlockOptions = { keyPaddingMask };
    const index = new Map(params.map((p, i) => [p.id, i]));
    return tf.tidy(() => {
      const grads: Array<tf.Tensor | undefined> = params.map(() => undefined);
      const accumulate = (ps: tf.Variable[], gs: tf.Tensor[]) =>
        ps.forEach((p, j) => {
          const i = index.get(p.id)!;
          const before = grads[i];
          grads[i] = before === undefined ? gs[j]! : tf.add(before, gs[j]!);
          if (before !== undefined) tf.dispose([before, gs[j]!]);
        });
      let [y1, y2] = tf.split(y, 2, -1) as [tf.Tensor, tf.Tensor];
      let [dy1, dy2] = tf.split(dy, 2, -1) as [tf.Tensor, tf.Tensor];
      for (let i = this.blocks.length - 1; i >= 0; i--) {
        const block = this.blocks[i]!;
        const fParams = block.f.parameters();
        const gParams = block.g.parameters();
        // y₂ = x₂ + g(y₁): recompute g(y₁), recover x₂, push dy₂ through g.
        const G = localGradients(() => block.g.forward(y1, { ...options, replay: records[2 * i + 1] }), [y1, ...gParams], dy2);
        const x2 = tf.sub(y2, G.value);
        const dx1 = tf.add(dy1, G.grads[0]!); // dL/dy₁ in full = dL/dx₁
        // y₁ = x₁ + f(x₂): recompute f(x₂), recover x₁, push dL/dy₁ through f.
        const F = localGradients(() => block.f.forward(x2, { ...options, replay: records[2 * i] }), [x2, ...fParams], dx1);
        const x1 = tf.sub(y1, F.value);
        const dx2 = tf.add(dy2, F.grads[0]!);
        accumulate(gParams, G.grads.slice(1));
        accumulate(fParams, F.grads.slice(1));
        tf.dispose([y1, y2, dy1, dy2, G.value, F.value, G.grads[0]!, F.grads[0]!]);
        [y1, y2, dy1, dy2] = [x1, x2, dx1, dx2];
      }
      tf.dispose([y1, y2]);
      return [dy1, dy2, ...grads.map((g, i) => g ?? tf.zerosLike(params[i]!))];
    });
  }
}

/** Every trainable parameter of `module`, each once. */
function uniqueParameters(module: Module): tf.Variable[] {
  const byId = new Map<number, tf.Variable>();
  for (const p of module.parameters()) byId.set(p.id, p);
  return [...byId.values()];
}
