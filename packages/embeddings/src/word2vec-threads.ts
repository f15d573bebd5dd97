/**
 * Multi-threaded word2vec training in Node: worker threads run the batch kernel on vectors held
 * in SharedArrayBuffers, updating them without locks, as word2vec.c's pthreads and gensim's
 * workers do ("Hogwild!", Niu, Recht, Ré & Wright, 2011): collisions are rare for sparse updates
 * and harmless to the result.
 *
 * Porting note: the kernel runs from its source text (`Function.prototype.toString`), so no
 * separate worker file has to be found at run time, in sources or in a bundle.
 * Porting note: with more than one thread the order of updates depends on scheduling, so vectors
 * differ from run to run (as in gensim); `threads: 1` never starts a worker and is deterministic.
 * Porting note: only Node's `worker_threads` are supported; browsers' Web Workers are not yet.
 */
import type { Worker as NodeWorker } from 'node:worker_threads';
import { LmkitError, Rng } from '@lmkit/tensor';
import { trainWord2VecBatch, type BatchResult, type Word2VecState } from './word2vec-kernel.js';

/** The state with its vectors moved into SharedArrayBuffers, so workers can share them. */
export function shareState(state: Word2VecState): Word2VecState {
  const shared = (a: Float32Array) => {
    const out = new Float32Array(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  return { ...state, syn0: shared(state.syn0), syn1neg: shared(state.syn1neg) };
}

/** A pool of workers each training one batch at a time on the shared vectors. */
export class Word2VecWorkers {
  private readonly idle: NodeWorker[];
  private readonly all: readonly NodeWorker[];

  private constructor(workers: NodeWorker[]) {
    this.all = workers;
    this.idle = [...workers];
  }

  /** Starts `threads` workers on `state` (whose vectors must be shared, see `shareState`). */
  static async start(state: Word2VecState, threads: number, rng: Rng): Promise<Word2VecWorkers> {
    let Worker: typeof NodeWorker;
    try {
      ({ Worker } = await import('node:worker_threads'));
    } catch {
      throw new LmkitError('trainWord2Vec: threads > 1 needs Node worker_threads, which this environment lacks; use threads: 1');
    }
    const source = [
      "const { parentPort, workerData } = require('node:worker_threads');",
      // Transpilers that keep function names insert __name(fn, 'name') calls into function bodies.
      'const __name = (f) => f;',
      `const train = ${trainWord2VecBatch.toString()};`,
      "parentPort.on('message', (m) => parentPort.postMessage(train(workerData, m.ids, m.ends, m.alpha)));",
    ].join('\n');
    const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: { ...state, rng: Uint32Array.of(rng.nextUint32() || 1) } }));
    return new Word2VecWorkers(workers);
  }

  /** The number of workers without a batch. */
  get available(): number {
    return this.idle.length;
  }

  /** Trains one batch on an idle worker (call only while `available > 0`). */
  run(ids: Int32Array, ends: Int32Array, alpha: number): Promise<BatchResult> {
    const worker = this.idle.pop();
    if (worker === undefined) throw new LmkitError('Word2VecWorkers.run: no idle worker');
    return new Promise<BatchResult>((resolve, reject) => {
      const onMessage = (result: BatchResult) => {
        worker.off('error', onError);
        this.idle.push(worker);
        resolve(result);
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ ids, ends, alpha });
    });
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
