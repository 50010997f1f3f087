import type { Database } from '../orm.ts';
import { dialectOf } from '../dialect.ts';
import { dropMonthsBefore, ensureMonthPartitions } from '../partitions/partition-maintenance.ts';
import { partitionedTables } from '../partitions/partition-sql.ts';

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
  shadowPredictions: number;
}

export interface PruneResult extends PruneProgress {
  /** 'done'; 'locked' when another process was pruning (PostgreSQL); 'stopped' when the signal stopped it. */
  outcome: 'done' | 'locked' | 'stopped';
}

/** The advisory lock key of pruning ('prun' in ASCII): one process at a time. */
const pruneLockKey = 0x7072756e;
const dayMs = 86_400_000;

/**
 * Removes the raw call, prediction and shadow prediction rows older than the retention window. Rollups and labelled examples are other
 * tables and stay; a row at or after the cutoff is never touched; an interrupted prune leaves whole steps done and
 * the next one goes on.
 *
 * SQLite: oldest first, in batches of their own transactions (predictions, then calls). PostgreSQL, one process at
 * a time (a session-level advisory lock; another process finds it taken and returns 'locked'): first the month
 * partitions ahead are made, then every month partition that ends at or before the cutoff is detached and dropped
 * whole — no long DELETE, no bloat; rows of the month holding the cutoff stay until that month has passed, so raw
 * rows are kept between RETENTION_DAYS and a month longer. Rows in the default partition (imports older than every
 * month) are deleted in batches. Counts on PostgreSQL are the planner's estimates of the dropped months.
 */
export async function pruneLogs(db: Database, options: PruneOptions): Promise<PruneResult> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * dayMs);
  const progress: PruneProgress = { cutoff, predictions: 0, calls: 0, shadowPredictions: 0 };
  if (options.retentionDays <= 0) return { ...progress, outcome: 'done' };
  if (db.target.dialect !== 'postgresql') {
    const outcome = await deleteBatches(db, progress, options);
    return { ...progress, outcome };
  }
  return db.sql.session(async (run) => {
    const [lock] = await run('select pg_try_advisory_lock(?) as locked', [pruneLockKey]);
    if (lock?.locked !== true) return { ...progress, outcome: 'locked' as const };
    try {
      await ensureMonthPartitions(db);
      const dropped = await dropMonthsBefore(db, cutoff, options.signal);
      progress.calls += dropped.calls;
      progress.predictions += dropped.predictions;
      progress.shadowPredictions += dropped.shadowPredictions;
      if (dropped.stopped) return { ...progress, outcome: 'stopped' as const };
      const outcome = await deleteBatches(db, progress, options, '_default');
      return { ...progress, outcome };
    } finally {
      await run('select pg_advisory_unlock(?)', [pruneLockKey]);
    }
  });
}

/** The log tables, predictions before calls: a prune stopped between the two leaves no prediction without its call. */
const predictionsFirst = [...partitionedTables].sort(
  (a, b) => Number(a.counted === 'calls') - Number(b.counted === 'calls'),
);

/** Batches of deletes from each log table (or, with `suffix`, its partition of that name). */
async function deleteBatches(
  db: Database,
  progress: PruneProgress,
  options: PruneOptions,
  suffix = '',
): Promise<PruneResult['outcome']> {
  const batch = Math.max(1, Math.trunc(options.batchRows ?? 5000));
  const cutoff = dialectOf(db.target.dialect).bind(progress.cutoff);
  for (const { table: parent, column, counted } of predictionsFirst) {
    const table = parent + suffix;
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
