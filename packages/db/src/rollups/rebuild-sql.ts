import type { Dialect } from '../dialect.ts';
import { bucketMs, bucketsPerDay } from './buckets.ts';
import { binColumns, binSql } from './latency-histogram.ts';
import {
  callRollups,
  confusionRollups,
  regressionRollups,
  shadowRollups,
  userDayRollups,
  userRollups,
} from './rollup-shapes.ts';
import { addToExisting } from './upsert-sums.ts';

/**
 * The rollups recomputed from the raw rows by the database, for the rebuild and the migration that backfills. With
 * `windowed`, each statement takes the window [from, to) of raw rows as two parameters; without, it reads them all.
 */
export interface RebuildStatements {
  /** Rollup rows of calls (call_rollups, user_rollups), from service_calls by request_time. */
  calls: string[];
  /** Rollup rows of feedback (confusion_rollups, regression_rollups), from prediction_logs by created_at. */
  quality: string[];
}

const columns = (shape: { keys: readonly string[]; sums: readonly string[]; maxima?: readonly string[] }) =>
  [...shape.keys, ...shape.sums, ...(shape.maxima ?? [])].join(', ');

export function rebuildStatements(dialect: Dialect, windowed: boolean): RebuildStatements {
  const least = dialect.name === 'sqlite' ? 'min' : 'least';
  const within = (column: string) => (windowed ? `${column} >= ? and ${column} < ?` : '1 = 1');
  const callBucket = dialect.bucket('request_time', bucketMs);
  const predictionBucket = dialect.bucket('created_at', bucketMs);
  const error = 'predicted_value - true_value';

  // Counted per bin first (a few rows per key), then spread into the bin columns.
  const callRollupInsert = `insert into ${callRollups.table} (${columns(callRollups)})
    select bucket, service_version, model_version, success, sum(n), sum(total), ${binColumns
      .map((_, bin) => `sum(case when bin = ${bin} then n else 0 end)`)
      .join(', ')}, max(longest)
    from (select ${callBucket} as bucket, service_version, coalesce(model_version, '') as model_version, success,
            ${binSql('duration', least)} as bin, count(*) as n, sum(duration) as total, max(duration) as longest
          from service_calls where ${within('request_time')} group by 1, 2, 3, 4, 5) per_bin
    group by bucket, service_version, model_version, success`;
  const userRollupInsert = `insert into ${userRollups.table} (${columns(userRollups)})
    select owner_id, ${callBucket}, service_version, count(*), sum(case when success then 0 else 1 end)
    from service_calls where ${within('request_time')} and owner_id is not null group by 1, 2, 3`;
  const confusionInsert = `insert into ${confusionRollups.table} (${columns(confusionRollups)})
    select ${predictionBucket}, service_version, model_version, predicted_label, true_label, count(*)
    from prediction_logs where ${within('created_at')} and true_label is not null and predicted_label is not null
    group by 1, 2, 3, 4, 5`;
  const regressionInsert = `insert into ${regressionRollups.table} (${columns(regressionRollups)})
    select ${predictionBucket}, service_version, model_version, count(*), sum(${error}), sum(abs(${error})),
      sum((${error}) * (${error})), sum(true_value), sum(true_value * true_value)
    from prediction_logs where ${within('created_at')} and true_value is not null and predicted_value is not null
    group by 1, 2, 3`;
  return { calls: [callRollupInsert, userRollupInsert], quality: [confusionInsert, regressionInsert] };
}

/**
 * The rollups of the shadow predictions in a window [from, to) (two parameters each): shadow_rollups (`calls`), and
 * their feedback added to the quality rollups the live predictions' statements have just filled (`quality`).
 */
export function shadowRebuildStatements(dialect: Dialect): RebuildStatements {
  const least = dialect.name === 'sqlite' ? 'min' : 'least';
  const bucket = dialect.bucket('created_at', bucketMs);
  const within = 'created_at >= ? and created_at < ?';
  const error = 'predicted_value - true_value';
  // SQLite parses INSERT … SELECT … ON CONFLICT only with a WHERE in the SELECT (here: `true`).
  const adding = (shape: typeof confusionRollups | typeof regressionRollups) =>
    `where true ${addToExisting(dialect, shape)}`;
  const shadowInsert = `insert into ${shadowRollups.table} (${columns(shadowRollups)})
    select bucket, service_version, model_version, success, sum(n), sum(total), ${binColumns
      .map((_, bin) => `sum(case when bin = ${bin} then n else 0 end)`)
      .join(', ')}, max(longest)
    from (select ${bucket} as bucket, service_version, model_version, success, ${binSql('duration', least)} as bin,
            count(*) as n, sum(duration) as total, max(duration) as longest
          from shadow_predictions where ${within} group by 1, 2, 3, 4, 5) per_bin
    group by bucket, service_version, model_version, success`;
  const confusionInsert = `insert into ${confusionRollups.table} (${columns(confusionRollups)})
    select * from (select ${bucket}, service_version, model_version, predicted_label, true_label, count(*)
      from shadow_predictions where ${within} and true_label is not null and predicted_label is not null
      group by 1, 2, 3, 4, 5) shadows ${adding(confusionRollups)}`;
  const regressionInsert = `insert into ${regressionRollups.table} (${columns(regressionRollups)})
    select * from (select ${bucket}, service_version, model_version, count(*), sum(${error}), sum(abs(${error})),
      sum((${error}) * (${error})), sum(true_value), sum(true_value * true_value)
      from shadow_predictions where ${within} and true_value is not null and predicted_value is not null
      group by 1, 2, 3) shadows ${adding(regressionRollups)}`;
  return { calls: [shadowInsert], quality: [confusionInsert, regressionInsert] };
}

/** Deletes one rollup table's rows in a bucket range [first, end) (two parameters). */
export const deleteBucketsSql = (table: string) => `delete from ${table} where bucket >= ? and bucket < ?`;

/**
 * user_day_rollups summed again from user_rollups (not from raw rows, so days whose raw rows are gone keep their
 * sums). With `windowed`, each takes the days [first, end) as two parameters.
 */
export function dayRollupStatements(windowed: boolean): { remove: string; insert: string } {
  const days = (column: string, per: number) =>
    windowed ? `${column} >= ? * ${per} and ${column} < ? * ${per}` : '1 = 1';
  return {
    remove: `delete from ${userDayRollups.table} where ${days('day', 1)}`,
    insert: `insert into ${userDayRollups.table} (${columns(userDayRollups)})
     select owner_id, bucket / ${bucketsPerDay}, service_version, sum(calls), sum(failures) from ${userRollups.table}
     where ${days('bucket', bucketsPerDay)} group by 1, 2, 3`,
  };
}
