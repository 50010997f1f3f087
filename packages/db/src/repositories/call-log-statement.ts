import { dialectOf } from '../dialect.ts';
import type { RawRow } from '../driver-sql.ts';
import { PredictionLog } from '../entities/prediction-log.entity.ts';
import { ServiceCall } from '../entities/service-call.entity.ts';
import { entityColumns, entityJsonRows, jsonScalar } from '../entity-rows.ts';
import type { Orm } from '../orm.ts';
import type { NewCall, NewPrediction } from '../records.ts';
import { callRollupRows, userDayRollupRows, userRollupRows } from '../rollups/call-deltas.ts';
import { driftRollupRows, type DriftCall } from '../rollups/drift-deltas.ts';
import { callRollups, driftRollups, userDayRollups, userRollups } from '../rollups/rollup-shapes.ts';
import { addToExisting, rollupColumns, type RollupRow, type RollupShape } from '../rollups/upsert-sums.ts';

/**
 * The call log's group commit on PostgreSQL as ONE statement (a data-modifying CTE), so a batch costs one round
 * trip and autocommits: its calls, their predictions and the call / user / user-day / drift rollup upserts. Each table's
 * rows go in as one JSON parameter, so one statement text (one named prepared statement) serves every batch size.
 */

/** Every property of a call and a prediction the writer gives: the compiler makes a new one appear here. */
const callKeys = {
  serviceVersion: true,
  success: true,
  error: true,
  owner: true,
  requestTime: true,
  completionTime: true,
  duration: true,
  modelVersion: true,
} satisfies Record<keyof NewCall, true>;
const predictionKeys = {
  serviceVersion: true,
  modelName: true,
  modelVersion: true,
  input: true,
  output: true,
  predictedValue: true,
  predictedLabel: true,
  createdAt: true,
} satisfies Record<keyof NewPrediction, true>;

/** drift_rollups is not rebuilt from raw rows (its bins come from the model cards), so the rebuild never locks it. */
const rollups: readonly RollupShape[] = [callRollups, userRollups, userDayRollups, driftRollups];

/** What a batch adds to each rollup, one row per key (a statement may not touch a row twice), as in `rollups`. */
function rollupRows(batch: readonly DriftCall[], calls: readonly NewCall[]): RollupRow[][] {
  const userRows = userRollupRows(calls);
  return [callRollupRows(calls), userRows, userDayRollupRows(userRows), driftRollupRows(batch)];
}

/** Rollup rows as JSON objects keyed by column. */
function rollupJson(shape: RollupShape, rows: readonly RollupRow[]): string {
  const columns = rollupColumns(shape);
  return JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, jsonScalar(row[i])]))));
}

const quote = (name: string) => `"${name}"`;

/** `n` (1, 2, …) numbering fresh ids of `table` in ascending order, one per row of the CTE `rows`. */
const freshIds = (table: string, rows: string) =>
  `select id, row_number() over (order by id) as n from (
     select nextval((select pg_get_serial_sequence('${table}', 'id')::regclass)) as id from ${rows}) fresh`;

/**
 * Adds pre-aggregated rows (one per key) to a rollup, inserting them in key order: ON CONFLICT locks each existing
 * row as it reaches it, and the executor feeds the insert in the order of the sort, so every writer takes the row
 * locks of a table in the same order (and the tables in the same order: the same plan) and two replicas committing
 * overlapping keys wait for each other instead of deadlocking.
 */
function addRollupRows(shape: RollupShape, cte: string): string {
  const columns = rollupColumns(shape).join(', ');
  return `${cte} as (insert into ${shape.table} (${columns})
    select ${columns} from json_populate_recordset(null::${shape.table}, ?::json)
    order by ${shape.keys.join(', ')} ${addToExisting(dialectOf('postgresql'), shape)})`;
}

export interface CallLogStatement {
  text: string;
  /** The columns of service_calls and prediction_logs the statement writes. */
  columns: { calls: readonly string[]; predictions: readonly string[] };
  params(batch: readonly (DriftCall & { call: NewCall; predictions: readonly NewPrediction[] })[]): unknown[];
  /** The prediction ids of each call, in order, from the statement's rows. */
  ids(batchSizes: readonly number[], rows: RawRow[]): number[][];
}

/**
 * The statement and how to bind a batch to it. Call and prediction ids are drawn from the tables' sequences inside
 * the statement and handed out ascending in batch order, so each prediction row carries its call's id (its JSON
 * gives the call's ordinal in `service_call_id`, replaced by the id) and the ids return in the order of the rows.
 * The rollup tables come after the raw tables, in the order the rebuild locks them (rollups/rebuild-rollups.ts).
 */
export function callLogStatement(orm: Orm): CallLogStatement {
  const calls = entityColumns(orm, ServiceCall).table;
  const predictions = entityColumns(orm, PredictionLog).table;
  const callRows = entityJsonRows(orm, ServiceCall, Object.keys(callKeys));
  const predictionRows = entityJsonRows(orm, PredictionLog, ['serviceCallId', ...Object.keys(predictionKeys)]);
  const pick = (columns: readonly string[], replace: Record<string, string> = {}) =>
    columns.map((c) => replace[c] ?? `r.${quote(c)}`).join(', ');
  const list = (columns: readonly string[]) => columns.map(quote).join(', ');
  const text = `with
  call_rows as (select * from json_populate_recordset(null::${calls}, ?::json) with ordinality as r),
  call_ids as (${freshIds(calls, 'call_rows')}),
  add_calls as (insert into ${calls} ("id", ${list(callRows.columns)})
    select i.id, ${pick(callRows.columns)} from call_rows r join call_ids i on i.n = r.ordinality),
  prediction_rows as (select * from json_populate_recordset(null::${predictions}, ?::json) with ordinality as r),
  prediction_ids as (${freshIds(predictions, 'prediction_rows')}),
  add_predictions as (insert into ${predictions} ("id", ${list(predictionRows.columns)})
    select p.id, ${pick(predictionRows.columns, { service_call_id: 'c.id' })}
    from prediction_rows r join prediction_ids p on p.n = r.ordinality join call_ids c on c.n = r.service_call_id
    returning "id", "service_call_id"),
  ${rollups.map((shape, i) => addRollupRows(shape, `add_rollup_${i}`)).join(',\n  ')}
select c.n as call_n, p.id from add_predictions p join call_ids c on c.id = p.service_call_id`;

  return {
    text,
    columns: { calls: callRows.columns, predictions: predictionRows.columns },
    params(batch) {
      const callList = batch.map((b) => b.call);
      const predictionList = batch.flatMap((b, i) => b.predictions.map((p) => ({ ...p, serviceCallId: i + 1 })));
      return [
        callRows.json(callList),
        predictionRows.json(predictionList),
        ...rollupRows(batch, callList).map((rows, i) => rollupJson(rollups[i]!, rows)),
      ];
    },
    ids(batchSizes, rows) {
      const out = batchSizes.map(() => [] as number[]);
      for (const row of rows) out[Number(row.call_n) - 1]!.push(Number(row.id));
      for (const [i, ids] of out.entries()) {
        if (ids.length !== batchSizes[i])
          throw new Error(`call ${i + 1}: ${ids.length} of ${batchSizes[i]} predictions`);
        ids.sort((a, b) => a - b);
      }
      return out;
    },
  };
}
