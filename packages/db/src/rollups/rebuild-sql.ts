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
import { addToExisting, rollupColumns, type RollupShape } from './upsert-sums.ts';

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

const columns = (shape: RollupShape) => rollupColumns(shape).join(', ');

/** A log table the rollups are rebuilt from: its time column, and its model version as SQL. */
interface RawSource {
  table: string;
  time: string;
  modelVersion: string;
}
const calls: RawSource = { table: 'service_calls', time: 'request_time', modelVersion: "coalesce(model_version, '')" };
const predictions: RawSource = { table: 'prediction_logs', time: 'created_at', modelVersion: 'model_version' };
const shadows: RawSource = { table: 'shadow_predictions', time: 'created_at', modelVersion: 'model_version' };

/** The SQL each rollup is computed with from a source's rows; `where` selects the rows (the window, or all). */
function rollupSelects(dialect: Dialect, src: RawSource, where: string) {
  const least = dialect.name === 'sqlite' ? 'min' : 'least';
  const bucket = dialect.bucket(src.time, bucketMs);
  const error = 'predicted_value - true_value';
  return {
    // Counted per bin first (a few rows per key), then spread into the bin columns.
    latency: `select bucket, service_version, model_version, success, sum(n), sum(total), ${binColumns
      .map((_, bin) => `sum(case when bin = ${bin} then n else 0 end)`)
      .join(', ')}, max(longest)
    from (select ${bucket} as bucket, service_version, ${src.modelVersion} as model_version, success,
            ${binSql('duration', least)} as bin, count(*) as n, sum(duration) as total, max(duration) as longest
          from ${src.table} where ${where} group by 1, 2, 3, 4, 5) per_bin
    group by bucket, service_version, model_version, success`,
    confusion: `select ${bucket}, service_version, model_version, predicted_label, true_label, count(*)
    from ${src.table} where ${where} and true_label is not null and predicted_label is not null
    group by 1, 2, 3, 4, 5`,
    regression: `select ${bucket}, service_version, model_version, count(*), sum(${error}), sum(abs(${error})),
      sum((${error}) * (${error})), sum(true_value), sum(true_value * true_value)
    from ${src.table} where ${where} and true_value is not null and predicted_value is not null
    group by 1, 2, 3`,
  };
}

const insertInto = (shape: RollupShape, select: string) =>
  `insert into ${shape.table} (${columns(shape)})
    ${select}`;

export function rebuildStatements(dialect: Dialect, windowed: boolean): RebuildStatements {
  const within = (column: string) => (windowed ? `${column} >= ? and ${column} < ?` : '1 = 1');
  const fromCalls = rollupSelects(dialect, calls, within(calls.time));
  const fromPredictions = rollupSelects(dialect, predictions, within(predictions.time));
  const userRollupInsert = insertInto(
    userRollups,
    `select owner_id, ${dialect.bucket(calls.time, bucketMs)}, service_version, count(*),
      sum(case when success then 0 else 1 end)
    from service_calls where ${within(calls.time)} and owner_id is not null group by 1, 2, 3`,
  );
  return {
    calls: [insertInto(callRollups, fromCalls.latency), userRollupInsert],
    quality: [
      insertInto(confusionRollups, fromPredictions.confusion),
      insertInto(regressionRollups, fromPredictions.regression),
    ],
  };
}

/**
 * The rollups of the shadow predictions in a window [from, to) (two parameters each): shadow_rollups (`calls`), and
 * their feedback added to the quality rollups the live predictions' statements have just filled (`quality`).
 */
export function shadowRebuildStatements(dialect: Dialect): RebuildStatements {
  const fromShadows = rollupSelects(dialect, shadows, `${shadows.time} >= ? and ${shadows.time} < ?`);
  // Added to what is there; SQLite parses INSERT … SELECT … ON CONFLICT only with a WHERE in the SELECT.
  const adding = (shape: RollupShape, select: string) =>
    insertInto(shape, `select * from (${select}) shadows where true ${addToExisting(dialect, shape)}`);
  return {
    calls: [insertInto(shadowRollups, fromShadows.latency)],
    quality: [adding(confusionRollups, fromShadows.confusion), adding(regressionRollups, fromShadows.regression)],
  };
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
