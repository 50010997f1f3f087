import type { Database } from '../orm.ts';
import { dialectOf } from '../dialect.ts';

export interface PruneOptions {
  /** Raw rows older than this many days before `now` go; 0 keeps everything. */
  retentionDays: number;
  now: Date;
  /** Rows per DELETE (default 5,000): each is a short transaction of its own, so writers wait at most one. */
  batchRows?: number;
  onProgress?: (progress: PruneProgress) => void;
  /** Stops between two batches; a later prune goes on where this one stopped. */
  signal?: AbortSignal;
}

export interface PruneProgress {
  /** Rows logged before this instant are removed. */
  cutoff: Date;
  predictions: number;
  calls: number;
}

export interface PruneResult extends PruneProgress {
  /** 'done'; 'locked' when another process was pruning (PostgreSQL); 'stopped' when the signal stopped it. */
  outcome: 'done' | 'locked' | 'stopped';
}

/** The advisory lock key of pruning ('prun' in ASCII): one process at a time. */
const pruneLockKey = 0x7072756e;
const dayMs = 86_400_000;

/**
 * Removes the raw call and prediction rows older than the retention window, oldest first, in batches of their own
 * transactions (predictions, then the calls, whose remaining predictions go with them). Rollups and labelled
 * examples are other tables and stay. A row newer than the cutoff is never touched; an interrupted prune leaves
 * whole batches done and the next one goes on. On PostgreSQL one process prunes at a time (a session-level
 * advisory lock; another process finds it taken and returns 'locked').
 */
export async function pruneLogs(db: Database, options: PruneOptions): Promise<PruneResult> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * dayMs);
  const progress: PruneProgress = { cutoff, predictions: 0, calls: 0 };
  if (options.retentionDays <= 0) return { ...progress, outcome: 'done' };
  if (db.target.dialect !== 'postgresql') {
    const outcome = await deleteBatches(db, progress, options);
    return { ...progress, outcome };
  }
  return db.sql.session(async (run) => {
    const [lock] = await run('select pg_try_advisory_lock(?) as locked', [pruneLockKey]);
    if (lock?.locked !== true) return { ...progress, outcome: 'locked' as const };
    try {
      const outcome = await deleteBatches(db, progress, options);
      return { ...progress, outcome };
    } finally {
      await run('select pg_advisory_unlock(?)', [pruneLockKey]);
    }
  });
}

const tables = [
  { table: 'prediction_logs', column: 'created_at', counted: 'predictions' },
  { table: 'service_calls', column: 'request_time', counted: 'calls' },
] as const;

async function deleteBatches(
  db: Database,
  progress: PruneProgress,
  options: PruneOptions,
): Promise<PruneResult['outcome']> {
  const batch = Math.max(1, Math.trunc(options.batchRows ?? 5000));
  const cutoff = dialectOf(db.target.dialect).bind(progress.cutoff);
  for (const { table, column, counted } of tables) {
    // Oldest first through the column's index; the count comes back with the delete.
    const text = `delete from ${table} where id in (
      select id from ${table} where ${column} < ? order by ${column} limit ?) returning 1 as gone`;
    for (;;) {
      if (options.signal?.aborted) return 'stopped';
      const gone = (await db.sql.write(text, [cutoff, batch])).length;
      progress[counted] += gone;
      options.onProgress?.({ ...progress });
      if (gone < batch) break;
      // Let requests waiting for the event loop (and, on SQLite, for the write connection) go first.
      await new Promise((done) => setImmediate(done));
    }
  }
  return 'done';
}
