import {
  isDatabaseUnavailable,
  type CallLogRepository,
  type DriftCount,
  type LoggedCall,
  type NewCall,
  type NewPrediction,
} from '@mlapi/db';

interface Pending extends LoggedCall {
  done(ids: number[]): void;
  fail(err: unknown): void;
}

export interface CallLogWriterOptions {
  /** At most this many calls in one transaction. */
  maxCalls?: number;
  /** At most about this many prediction rows in one transaction (a single larger batch still goes alone). */
  maxRows?: number;
  /**
   * Under load, a transaction starts at least this long after the previous one ended, so its batch takes the calls
   * of that time too (the wait is cut short once `maxCalls` are waiting). A call after an idle spell at least this
   * long never waits. Default 0 (no wait).
   */
  lingerMs?: number;
}

/**
 * Group commit of the call log. Calls queue here; one transaction at a time writes every call waiting (up to
 * `maxCalls` calls or `maxRows` prediction rows; on PostgreSQL the transaction is one statement, see `insertBatch`),
 * and each caller's promise settles only after the transaction holding its rows has committed — so nothing is
 * acknowledged before it is stored. The first call after an idle spell is written on the next turn of the event
 * loop, and calls arriving while a transaction is in flight form the next batch, so batches grow with load and add
 * no latency when idle. With `lingerMs`, a transaction starts no sooner than `lingerMs` after the previous one
 * ended, so its batch also takes the calls of that time: a transaction has a fixed cost whatever its size (on
 * PostgreSQL, its commit and one executor start per table), and a replica taking half the calls would otherwise
 * write batches half as big. A call waits at most `lingerMs` for it.
 * If a batch fails for a reason other than an unreachable database (e.g. a row a concurrent delete made invalid),
 * its calls are retried one transaction each, so one bad row cannot fail its neighbours.
 */
export class CallLogWriter {
  private queue: Pending[] = [];
  private writing = false;
  private scheduled = false;
  private idle: (() => void)[] = [];
  /** Transactions and calls written so far (for tests and the bench). */
  readonly stats = { transactions: 0, calls: 0 };
  private readonly maxCalls: number;
  private readonly maxRows: number;
  private readonly lingerMs: number;
  /** Ends the current linger early (set while lingering). */
  private wake: (() => void) | undefined;
  /** `performance.now()` when the latest transaction ended. */
  private lastEnded = -Infinity;

  constructor(
    private readonly callLog: CallLogRepository,
    options: CallLogWriterOptions = {},
  ) {
    this.maxCalls = options.maxCalls ?? 256;
    this.maxRows = options.maxRows ?? 5000;
    this.lingerMs = options.lingerMs ?? 0;
  }

  /**
   * Queues one call (and its predictions, and what they add to the drift rollups); resolves with the prediction ids,
   * in order, once committed.
   */
  write(call: NewCall, predictions: NewPrediction[], drift?: DriftCount[]): Promise<number[]> {
    return new Promise<number[]>((done, fail) => {
      this.queue.push({ call, predictions, drift, done, fail });
      if (this.queue.length >= this.maxCalls) this.wake?.();
      this.schedule();
    });
  }

  /** Resolves when every queued call has been written (or has failed). */
  drained(): Promise<void> {
    if (!this.writing && !this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((done) => this.idle.push(done));
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private take(): Pending[] {
    let rows = 0;
    let n = 0;
    while (n < this.queue.length && n < this.maxCalls) {
      const size = this.queue[n]!.predictions.length + 1;
      if (n > 0 && rows + size > this.maxRows) break;
      rows += size;
      n++;
    }
    return this.queue.splice(0, n);
  }

  /** How long the next transaction waits: until `lingerMs` after the previous one ended, unless the queue is full. */
  private lingerFor(): number {
    if (this.lingerMs === 0 || this.queue.length >= this.maxCalls) return 0;
    return Math.max(0, this.lastEnded + this.lingerMs - performance.now());
  }

  /** Waits `ms`, or less if `maxCalls` calls are waiting by then. */
  private linger(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        done();
      };
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const wait = this.lingerFor();
        if (wait > 0) await this.linger(wait);
        const batch = this.take();
        try {
          const ids = await this.commit(batch);
          batch.forEach((p, i) => p.done(ids[i]!));
        } catch (err) {
          if (batch.length === 1 || isDatabaseUnavailable(err)) batch.forEach((p) => p.fail(err));
          else
            for (const p of batch)
              await this.commit([p]).then(
                (ids) => p.done(ids[0]!),
                (e: unknown) => p.fail(e),
              );
        }
      }
    } finally {
      this.writing = false;
      for (const done of this.idle.splice(0)) done();
    }
  }

  /** One transaction for the batch; the prediction ids of each call, in order. */
  private async commit(batch: Pending[]): Promise<number[][]> {
    try {
      const ids = await this.callLog.insertBatch(batch);
      this.stats.transactions++;
      this.stats.calls += batch.length;
      return ids;
    } finally {
      this.lastEnded = performance.now();
    }
  }
}
