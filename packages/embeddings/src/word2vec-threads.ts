/**
 * Multi-threaded word2vec training: Node worker threads or, in a browser, Web Workers each
 * instantiate the kernel's module on its shared memory and train their batches on the one set of
 * vectors without locks, as word2vec.c's pthreads and gensim's workers do ("Hogwild!", Niu, Recht,
 * Ré & Wright, 2011): collisions are rare for sparse updates and harmless to the result.
 *
 * Porting note: starting a Node worker takes tens of milliseconds, as long as a small corpus
 * trains, so finished runs leave their workers (released from the memory) in a pool that the next
 * run takes them from; an idle pooled worker never keeps a Node process alive.
 * Porting note: a worker runs from source text (`Function.prototype.toString`), so no separate
 * worker file has to be found at run time, in sources or in a bundle.
 * Porting note: with more than one thread the order of updates depends on scheduling, so vectors
 * differ from run to run (as in gensim); `threads: 1` never starts a worker and is deterministic.
 * Porting note: a browser shares memory between workers only on a cross-origin isolated page
 * (served with `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
 * require-corp`); elsewhere `threads > 1` throws a `ConfigError`.
 */
import type { Worker as NodeWorker } from 'node:worker_threads';
import { ConfigError, LmkitError } from '@lmkit/tensor';
import { runBatch, type BatchResult, type SlotLayout, type TrainFunction, type Word2VecKernel } from './word2vec-kernel.js';

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

/**
 * Throws a `ConfigError` naming `field` when this environment cannot train on `threads` > 1
 * threads: it needs workers and memory they can share.
 */
export function checkThreads(field: string, threads: number): void {
  if (threads === 1 || isNode) return;
  if (typeof Worker === 'undefined') throw new ConfigError(field, '1: this environment has no Web Workers', threads);
  if (typeof SharedArrayBuffer === 'undefined' || globalThis.crossOriginIsolated !== true) {
    throw new ConfigError(
      field,
      '1: threads > 1 share memory between Web Workers, which a browser allows only on a cross-origin isolated page ' +
        '(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
      threads,
    );
  }
}

/** A worker's replies: ready after instantiating, then one result (or error) per batch. */
type Reply = { ready: true } | BatchResult | { error: string };

/** Node's Worker and the browser's Worker behind one small interface. */
interface Thread {
  post(message: unknown): void;
  /** Sets the handler of the next reply (and of an uncaught error, as `{ error }`). */
  next(handler: (reply: Reply) => void): void;
  /** Whether the worker keeps a Node process alive (a no-op in browsers). */
  hold(busy: boolean): void;
  terminate(): Promise<unknown>;
}

/** What a worker is sent: its module, memory and slot, then batches, then a release (which it does not answer). */
type Message =
  | { readonly module: WebAssembly.Module; readonly memory: WebAssembly.Memory; readonly slot: SlotLayout }
  | { readonly ids: Int32Array; readonly ends: Int32Array; readonly alpha: number }
  | { readonly release: true };

/** A worker's whole program, run from its source text: it must stay self-contained. */
function serveKernel(run: typeof runBatch, listen: (handler: (message: Message) => void) => void, post: (reply: Reply) => void): void {
  let train: TrainFunction | undefined;
  let memory: WebAssembly.Memory | undefined;
  let slot: SlotLayout | undefined;
  listen((m) => {
    if ('release' in m) {
      train = memory = slot = undefined;
      return;
    }
    if ('module' in m) {
      WebAssembly.instantiate(m.module, { env: { memory: m.memory } }).then(
        (instance) => {
          train = instance.exports.w2v_train as TrainFunction;
          memory = m.memory;
          slot = m.slot;
          post({ ready: true });
        },
        (err: unknown) => post({ error: String(err) }),
      );
      return;
    }
    try {
      post(run(train!, memory!, slot!, m.ids, m.ends, m.alpha));
    } catch (err) {
      post({ error: String(err) });
    }
  });
}

// Transpilers that keep function names insert __name(fn, 'name') calls into function bodies.
const program = (listen: string, post: string) => `const __name = (f) => f;\n(${serveKernel.toString()})(${runBatch.toString()}, ${listen}, ${post});`;

async function spawn(): Promise<Thread> {
  if (isNode) {
    const name = 'node:worker_threads'; // not a literal, so browser bundlers leave it alone
    const { Worker } = (await import(/* @vite-ignore */ name)) as typeof import('node:worker_threads');
    const source = `const { parentPort } = require('node:worker_threads');\n${program('(h) => parentPort.on("message", h)', '(r) => parentPort.postMessage(r)')}`;
    const worker: NodeWorker = new Worker(source, { eval: true });
    return {
      post: (message) => worker.postMessage(message),
      next(handler) {
        const onMessage = (reply: Reply) => {
          worker.off('error', onError);
          handler(reply);
        };
        const onError = (err: Error) => {
          worker.off('message', onMessage);
          handler({ error: String(err) });
        };
        worker.once('message', onMessage);
        worker.once('error', onError);
      },
      hold: (busy) => (busy ? worker.ref() : worker.unref()),
      terminate: () => worker.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([program('(h) => { self.onmessage = (e) => h(e.data); }', '(r) => self.postMessage(r)')], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    post: (message) => worker.postMessage(message),
    next(handler) {
      worker.onmessage = (e: MessageEvent<Reply>) => handler(e.data);
      worker.onerror = (e: ErrorEvent) => handler({ error: e.message });
    },
    hold: () => {},
    terminate: async () => worker.terminate(),
  };
}

/** Sends one message and waits for its reply; an error reply rejects. */
function ask<T extends Reply>(thread: Thread, message: Message): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    thread.next((reply) => ('error' in reply ? reject(new LmkitError(`trainWord2Vec worker: ${reply.error}`)) : resolve(reply as T)));
    thread.post(message);
  });
}

/** Workers released by finished runs, free for the next. */
const pool: Thread[] = [];

/** Workers, one per slot of the kernel, each training one batch at a time. */
export class Word2VecWorkers {
  private readonly idle: Thread[];
  private failed = false;

  private constructor(private readonly all: readonly Thread[]) {
    this.idle = [...all];
  }

  /** Starts one worker per slot of `kernel` (laid out in a shared memory), reusing pooled ones. */
  static async start(kernel: Word2VecKernel): Promise<Word2VecWorkers> {
    const reused = pool.splice(0, kernel.slots.length);
    const threads = [...reused, ...(await Promise.all(kernel.slots.slice(reused.length).map(() => spawn())))];
    threads.forEach((t) => t.hold(true));
    try {
      await Promise.all(threads.map((t, i) => ask(t, { module: kernel.module, memory: kernel.memory, slot: kernel.slots[i]! } satisfies Message)));
    } catch (err) {
      await Promise.all(threads.map((t) => t.terminate()));
      throw err;
    }
    return new Word2VecWorkers(threads);
  }

  /** The number of workers without a batch. */
  get available(): number {
    return this.idle.length;
  }

  /** Trains one batch on an idle worker (call only while `available > 0`). */
  async run(ids: Int32Array, ends: Int32Array, alpha: number): Promise<BatchResult> {
    const thread = this.idle.pop();
    if (thread === undefined) throw new LmkitError('Word2VecWorkers.run: no idle worker');
    try {
      const result = await ask<BatchResult>(thread, { ids, ends, alpha } satisfies Message);
      this.idle.push(thread);
      return result;
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  /** Releases every worker into the pool, or stops them all after a failure or while one is busy. */
  async close(): Promise<void> {
    if (this.failed || this.idle.length < this.all.length) {
      await Promise.all(this.all.map((t) => t.terminate()));
      return;
    }
    for (const t of this.all) {
      t.post({ release: true } satisfies Message);
      t.hold(false);
      pool.push(t);
    }
  }
}
