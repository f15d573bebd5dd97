/**
 * The JavaScript side of the word2vec training loop, which is C compiled to WebAssembly SIMD
 * (../wasm/word2vec.c, built by scripts/build-wasm.mjs into ./wasm/word2vec.wasm.ts): lays out one
 * WebAssembly memory holding the vectors, the subsampling, noise and sigmoid tables, and per
 * thread a slot with its batch, scratch buffers and results, and trains batches of sentences on it.
 *
 * Porting note: the memory is shared (and the module built for a shared memory, ./wasm/word2vec-
 * shared.wasm.ts) only when several threads train on it (./word2vec-threads.ts); a page that is not
 * cross-origin isolated can still train on one thread.
 * Porting note: σ and log σ are tabulated here (the module carries no data), at word2vec.c's 1000
 * points of [−6, 6).
 *
 * `runBatch` uses nothing from outside its own body: worker threads run it from its source text,
 * so it must stay self-contained.
 */
import { LmkitError } from '@lmkit/tensor';
import { WASM_BASE64 as SHARED_WASM } from './wasm/word2vec-shared.wasm.js';
import { WASM_BASE64 as PLAIN_WASM } from './wasm/word2vec.wasm.js';

/** What the kernel trains and how; the arrays are copied into the kernel's memory. */
export interface KernelConfig {
  /** Initial input vectors, row-major [V, D]. */
  readonly syn0: Float32Array;
  readonly dim: number;
  readonly skipGram: boolean;
  /** CBOW: average (true) or sum (false) the context vectors. */
  readonly cbowMean: boolean;
  readonly window: number;
  readonly negative: number;
  /** Probability of keeping each word under subsampling [V] (1 when off). */
  readonly keep: Float32Array;
  /** Alias table of the noise distribution: column i keeps i with aliasProb[i], else aliasOf[i]. */
  readonly aliasProb: Float32Array;
  readonly aliasOf: Int32Array;
  /** One generator seed (a uint32) per thread; their number is the number of slots. */
  readonly seeds: readonly number[];
  /** The most words, and the most sentences, in one batch. */
  readonly batchCapacity: number;
  /** The most words in one sentence. */
  readonly maxSentence: number;
  /** Lay the kernel out in a shared memory, for more than one thread. */
  readonly shared: boolean;
}

/** Where one thread's slot lies in the memory: what a thread needs, besides the module and memory, to train. */
export interface SlotLayout {
  /** The address of the model (word2vec.c's `Model`). */
  readonly model: number;
  /** The address of the slot (word2vec.c's `Slot`). */
  readonly slot: number;
  /** Addresses of the slot's batch buffers, ids and sentence ends, `capacity` int32 each. */
  readonly ids: number;
  readonly ends: number;
  readonly capacity: number;
}

/** What one batch trained. */
export interface BatchResult {
  /** Words trained on, after subsampling (gensim's "effective words"). */
  effectiveWords: number;
  /** (center, context) pairs for skip-gram, windows for CBOW. */
  examples: number;
  /** Σ over examples of −log σ(f₊) − Σ log σ(−f₋). */
  loss: number;
}

/** word2vec.c's `w2v_train(model, slot, sentences, alpha)`. */
export type TrainFunction = (model: number, slot: number, sentences: number, alpha: number) => void;

const MAX_EXP = 6;
const SIGMOID_TABLE = 1000;
const MODEL_BYTES = 48;
const SLOT_BYTES = 48;
const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, wasm32's limit and the shared module's declared maximum

const modules = new Map<boolean, Promise<WebAssembly.Module>>();

/** The compiled module (shared-memory build or not), compiled once per process. */
function compiled(shared: boolean): Promise<WebAssembly.Module> {
  let module = modules.get(shared);
  if (module === undefined) {
    const bytes = Uint8Array.from(atob(shared ? SHARED_WASM : PLAIN_WASM), (c) => c.charCodeAt(0));
    module = WebAssembly.compile(bytes).catch((err: unknown) => {
      modules.delete(shared);
      throw new LmkitError(`trainWord2Vec needs WebAssembly with SIMD (Node ≥ 16.4, Chrome 91, Firefox 89, Safari 16.4), which this environment lacks: ${String(err)}`);
    });
    modules.set(shared, module);
  }
  return module;
}

/** The model and its tables in a WebAssembly memory, with one slot per thread. */
export class Word2VecKernel {
  private constructor(
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    /** One per thread. */
    readonly slots: readonly SlotLayout[],
    private readonly syn0: { readonly offset: number; readonly length: number },
    private readonly train: TrainFunction,
  ) {}

  static async create(c: KernelConfig): Promise<Word2VecKernel> {
    const D = c.dim;
    const V = c.keep.length;
    let top = 64; // address 0 stays unused
    const alloc = (bytes: number) => {
      const at = top;
      top = Math.ceil((top + bytes) / 16) * 16;
      return at;
    };
    const model = alloc(MODEL_BYTES);
    const slotAt = c.seeds.map(() => alloc(SLOT_BYTES));
    const sigmoid = alloc(4 * SIGMOID_TABLE);
    const logSigmoid = alloc(4 * SIGMOID_TABLE);
    const keep = alloc(4 * V);
    const alias = alloc(8 * V);
    const syn0 = alloc(4 * V * D);
    const syn1neg = alloc(4 * V * D);
    const buffers = c.seeds.map(() => ({
      ids: alloc(4 * c.batchCapacity),
      ends: alloc(4 * c.batchCapacity),
      sentence: alloc(4 * c.maxSentence),
      neu1: alloc(4 * D),
      work: alloc(4 * D),
    }));
    const pages = Math.ceil(top / PAGE);
    if (pages > MAX_PAGES) {
      throw new LmkitError(`trainWord2Vec: ${V} words × ${D} dimensions need ${(top / 2 ** 30).toFixed(1)} GiB, more than WebAssembly's 4 GiB; lower vectorSize or maxVocab`);
    }
    const module = await compiled(c.shared);
    const memory = new WebAssembly.Memory(c.shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });

    const f32 = new Float32Array(memory.buffer);
    const i32 = new Int32Array(memory.buffer);
    for (let i = 0; i < SIGMOID_TABLE; i++) {
      const s = 1 / (1 + Math.exp(-((2 * i) / SIGMOID_TABLE - 1) * MAX_EXP));
      f32[sigmoid / 4 + i] = s;
      f32[logSigmoid / 4 + i] = Math.log(s);
    }
    f32.set(c.keep, keep / 4);
    for (let i = 0; i < V; i++) {
      f32[alias / 4 + 2 * i] = c.aliasProb[i]!;
      i32[alias / 4 + 2 * i + 1] = c.aliasOf[i]!;
    }
    f32.set(c.syn0, syn0 / 4);
    const header = new DataView(memory.buffer);
    [syn0, syn1neg, keep, alias, sigmoid, logSigmoid, V, D, c.window, c.negative, c.skipGram ? 1 : 0, c.cbowMean ? 1 : 0]
      .forEach((value, i) => header.setInt32(model + 4 * i, value, true));
    const slots = c.seeds.map((seed, t) => {
      const at = slotAt[t]!;
      const b = buffers[t]!;
      [b.ids, b.ends, b.sentence, b.neu1, b.work].forEach((value, i) => header.setInt32(at + 4 * i, value, true));
      header.setBigUint64(at + 32, BigInt(seed >>> 0), true);
      return { model, slot: at, ids: b.ids, ends: b.ends, capacity: c.batchCapacity };
    });
    const train = instance.exports.w2v_train as TrainFunction;
    return new Word2VecKernel(module, memory, slots, { offset: syn0, length: V * D }, train);
  }

  /**
   * Trains on the sentences of `ids` (vocabulary ids; sentence s is ids[ends[s−1] … ends[s]−1]) at
   * learning rate `alpha` on this thread, in the first slot.
   */
  trainBatch(ids: Int32Array, ends: Int32Array, alpha: number): BatchResult {
    return runBatch(this.train, this.memory, this.slots[0]!, ids, ends, alpha);
  }

  /** A copy of the input vectors, row-major [V, D]. */
  vectors(): Float32Array {
    return new Float32Array(this.memory.buffer, this.syn0.offset, this.syn0.length).slice();
  }
}

/** Copies a batch into `slot`, trains on it with `train` and reads back what it trained. */
export function runBatch(train: TrainFunction, memory: WebAssembly.Memory, slot: SlotLayout, ids: Int32Array, ends: Int32Array, alpha: number): BatchResult {
  if (ids.length > slot.capacity || ends.length > slot.capacity) {
    throw new RangeError(`word2vec: a batch of ${ids.length} words in ${ends.length} sentences exceeds the slot's ${slot.capacity}`);
  }
  new Int32Array(memory.buffer, slot.ids, ids.length).set(ids);
  new Int32Array(memory.buffer, slot.ends, ends.length).set(ends);
  train(slot.model, slot.slot, ends.length, alpha);
  // word2vec.c's Slot: effective_words at byte 20, examples at 24, loss (a double) at 40.
  const out = new DataView(memory.buffer, slot.slot);
  return { effectiveWords: out.getInt32(20, true), examples: out.getInt32(24, true), loss: out.getFloat64(40, true) };
}
