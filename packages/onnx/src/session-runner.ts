import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type * as Ort from 'onnxruntime-node';

/** A tensor as it crosses to a worker thread: plain data, no class. */
interface PlainTensor {
  type: Ort.Tensor.Type;
  data: Ort.Tensor.DataType;
  dims: readonly number[];
}

/** What a model's calls run on: `run` answers the fetched outputs' data and dims. */
export interface SessionRunner {
  run(
    feeds: Record<string, Ort.Tensor>,
    fetches: string[],
  ): Promise<Record<string, Pick<PlainTensor, 'data' | 'dims'>>>;
  /** Waits for nothing: callers drain their own calls first. Releases the session(s). */
  release(): Promise<void>;
}

/** The session on the thread that called: each `run` blocks it (the benchmark's reference, `workerThreads: 0`). */
export function inlineRunner(session: Ort.InferenceSession): SessionRunner {
  return {
    run: (feeds, fetches) => session.run(feeds, fetches),
    release: () => session.release(),
  };
}

/**
 * `threads` worker threads, each with its own session of the model's bytes (session-worker.mjs); calls queue for
 * the next free one. The event loop only copies the inputs over and the outputs back. The threads stay up while
 * the model serves (sessions load once) and end with `release`.
 */
export function workerRunner(
  bytes: Uint8Array,
  sessionOptions: Ort.InferenceSession.SessionOptions,
  threads: number,
): SessionRunner {
  const count = Math.max(1, Math.min(threads, availableParallelism()));
  const pool = new Piscina({
    filename: new URL('./session-worker.mjs', import.meta.url).href,
    workerData: { bytes, sessionOptions },
    minThreads: count,
    maxThreads: count,
    idleTimeout: Number.POSITIVE_INFINITY,
    // Plain JavaScript needs no loader; and flags such as `-e` (a script given inline) are not for workers.
    execArgv: [],
  });
  return {
    run: (feeds, fetches) => {
      const plain: Record<string, PlainTensor> = {};
      for (const [name, t] of Object.entries(feeds)) plain[name] = { type: t.type, data: t.data, dims: t.dims };
      return pool.run({ feeds: plain, fetches }) as ReturnType<SessionRunner['run']>;
    },
    release: () => pool.destroy(),
  };
}
