import type { Database } from '../orm.ts';
import { dialectOf, type Dialect } from '../dialect.ts';
import type { RunInTransaction } from '../driver-sql.ts';
import { bucketOf, bucketsPerDay, bucketStart, endBucketOf } from './buckets.ts';
import { dayRollupStatements, deleteBucketsSql, rebuildStatements, shadowRebuildStatements } from './rebuild-sql.ts';
import {
  callRollups,
  confusionRollups,
  regressionRollups,
  shadowRollups,
  userDayRollups,
  userRollups,
} from './rollup-shapes.ts';

export interface RebuildOptions {
  /** The first instant to rebuild (widened to its bucket); default: the oldest call or prediction still logged. */
  from?: Date | undefined;
  /** The end (exclusive, widened to a whole bucket); default: just after the newest call or prediction. */
  to?: Date | undefined;
  /** Buckets per transaction (default 4: an hour). Writers wait for at most one chunk. */
  chunkBuckets?: number;
  onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildProgress {
  /** The window being rebuilt, as whole buckets. */
  from: Date;
  to: Date;
  /** Where the rebuild has got to: everything before it is done. */
  done: Date;
  /** Calls, predictions and shadow predictions read so far. */
  calls: number;
  predictions: number;
  shadowPredictions: number;
  /** Buckets left alone because they hold no raw rows. */
  skipped: number;
}

const allRollups = [callRollups, userRollups, userDayRollups, confusionRollups, regressionRollups, shadowRollups].map(
  (s) => s.table,
);

/**
 * Recomputes the rollups of a window from the raw rows, one chunk of buckets per transaction: delete the chunk's
 * rollup rows, insert them again from service_calls, prediction_logs and shadow_predictions. A chunk with no raw rows is left as it is,
 * so rollups whose raw rows have aged out are never erased. Idempotent.
 *
 * Correct while the server writes: on PostgreSQL each chunk first locks the rollup tables in EXCLUSIVE mode (reads go
 * on; writers wait). A writer's transaction inserts its raw rows before it adds to the rollups, so either it had
 * added already — then the lock waited for its commit and the chunk reads its rows — or it adds after the chunk
 * commits, to the chunk's sums, which did not see its uncommitted rows. The call log's single statement
 * (repositories/call-log-statement.ts) locks every table it names, in the order this lock takes the rollups, before
 * it writes a row: it either commits before the chunk locks, or writes nothing until the chunk has committed.
 * SQLite has one writer at a time anyway.
 *
 * drift_rollups is not rebuilt (nor locked, nor deleted): its bins come from each model version's card, which SQL
 * does not read. It could be recomputed from the logged inputs (LOG_INPUTS=full) by the server, with the cards.
 */
export async function rebuildRollups(db: Database, options: RebuildOptions = {}): Promise<RebuildProgress> {
  const dialect = dialectOf(db.target.dialect);
  const statements = rebuildStatements(dialect, true);
  const shadowStatements = shadowRebuildStatements(dialect);
  const chunk = Math.max(1, Math.trunc(options.chunkBuckets ?? 4));
  const [span] = await db.sql.read(
    `select min(first) as first, max(last) as last from (
       select min(request_time) as first, max(request_time) as last from service_calls
       union all select min(created_at), max(created_at) from prediction_logs
       union all select min(created_at), max(created_at) from shadow_predictions) spans`,
    [],
  );
  const first = bucketOf(options.from ?? (span?.first == null ? new Date(0) : dialect.date(span.first)));
  const end = options.to ? endBucketOf(options.to) : span?.last == null ? first : bucketOf(dialect.date(span.last)) + 1;
  const progress: RebuildProgress = {
    from: bucketStart(first),
    to: bucketStart(Math.max(first, end)),
    done: bucketStart(first),
    calls: 0,
    predictions: 0,
    shadowPredictions: 0,
    skipped: 0,
  };
  const nextRowText = `select min(at) as at from (
      select min(request_time) as at from service_calls where request_time >= ?
      union all select min(created_at) from prediction_logs where created_at >= ?
      union all select min(created_at) from shadow_predictions where created_at >= ?) next_rows`;
  const countText = (table: string, column: string) =>
    `select count(*) as n from ${table} where ${column} >= ? and ${column} < ?`;

  for (let b = first; b < end;) {
    const upTo = Math.min(end, b + chunk);
    const window = [dialect.bind(bucketStart(b)), dialect.bind(bucketStart(upTo))];
    const next = await db.sql.transaction(async (run) => {
      await lockRollups(dialect, run);
      const [c] = await run(countText('service_calls', 'request_time'), window);
      const [p] = await run(countText('prediction_logs', 'created_at'), window);
      const [sp] = await run(countText('shadow_predictions', 'created_at'), window);
      const calls = Number(c?.n ?? 0);
      const predictions = Number(p?.n ?? 0);
      const shadows = Number(sp?.n ?? 0);
      if (calls > 0) {
        for (const table of [callRollups.table, userRollups.table]) await run(deleteBucketsSql(table), [b, upTo]);
        for (const text of statements.calls) await run(text, window);
      }
      if (shadows > 0) {
        await run(deleteBucketsSql(shadowRollups.table), [b, upTo]);
        for (const text of shadowStatements.calls) await run(text, window);
      }
      if (predictions + shadows > 0) {
        for (const table of [confusionRollups.table, regressionRollups.table])
          await run(deleteBucketsSql(table), [b, upTo]);
        for (const text of [...statements.quality, ...shadowStatements.quality]) await run(text, window);
      }
      progress.calls += calls;
      progress.predictions += predictions;
      progress.shadowPredictions += shadows;
      if (calls + predictions + shadows > 0) return upTo;
      // No raw rows here: leave these buckets alone and go on from the next call or prediction logged.
      progress.skipped += upTo - b;
      const [later] = await run(nextRowText, [window[1], window[1], window[1]]);
      return later?.at == null ? end : Math.max(upTo, bucketOf(dialect.date(later.at)));
    });
    progress.skipped += Math.max(0, Math.min(next, end) - upTo);
    b = next;
    progress.done = bucketStart(Math.min(b, end));
    options.onProgress?.({ ...progress });
  }
  await resumDays(db, Math.floor(first / bucketsPerDay), Math.ceil(end / bucketsPerDay));
  return progress;
}

/** On PostgreSQL, makes writers of the rollups wait until the transaction ends (reads go on); SQLite has one writer. */
async function lockRollups(dialect: Dialect, run: RunInTransaction): Promise<void> {
  if (dialect.name === 'postgresql') await run(`lock table ${allRollups.join(', ')} in exclusive mode`, []);
}

/** Days per transaction when user_day_rollups are summed again from user_rollups. */
const daysPerChunk = 7;

/**
 * Sums the days [first, end) of user_day_rollups again from user_rollups, a week per transaction, under the same
 * lock as the buckets (writers add to both tables in one transaction, so the two agree at every commit).
 */
async function resumDays(db: Database, first: number, end: number): Promise<void> {
  const dialect = dialectOf(db.target.dialect);
  const { remove, insert } = dayRollupStatements(true);
  for (let d = first; d < end; d += daysPerChunk) {
    const days = [d, Math.min(end, d + daysPerChunk)];
    await db.sql.transaction(async (run) => {
      await lockRollups(dialect, run);
      await run(remove, days);
      await run(insert, days);
    });
  }
}
