import { PredictionLog } from '../entities/prediction-log.entity.ts';
import { ServiceCall } from '../entities/service-call.entity.ts';
import { insertRows } from '../entity-rows.ts';
import { callRollupRows, userDayRollupRows, userRollupRows } from '../rollups/call-deltas.ts';
import { driftRollupRows } from '../rollups/drift-deltas.ts';
import { callRollups, driftRollups, userDayRollups, userRollups } from '../rollups/rollup-shapes.ts';
import { upsertSums } from '../rollups/upsert-sums.ts';
import type { RawRow } from '../driver-sql.ts';
import type { CallRecord, Counted, DriftCount, NewCall, NewPrediction, PageRequest, ServiceName } from '../records.ts';
import { callLogStatement, type CallLogStatement } from './call-log-statement.ts';
import type { RepositoryContext } from './context.ts';
import { cappedTotal, keysetPage } from './keyset-pages.ts';

/** One call to log with its predictions (none for a failed call), and what they add to drift_rollups. */
export interface LoggedCall {
  call: NewCall;
  predictions: NewPrediction[];
  drift?: readonly DriftCount[] | undefined;
}

/** A call of a user's history with what it predicted. */
export interface HistoryRecord extends CallRecord {
  /** Its first prediction (for feedback), or null. */
  firstPredictionId: number | null;
  predictions: number;
  /** The output of its prediction when it made exactly one, else null. */
  output: Record<string, unknown> | null;
}

const callColumns =
  'id, service_version, success, error, owner_id, request_time, completion_time, duration, model_version';

export function callLogRepository(context: RepositoryContext) {
  const { db, dialect } = context;
  const callRecord = (r: RawRow): CallRecord => ({
    id: Number(r.id),
    serviceVersion: r.service_version as ServiceName,
    success: dialect.bool(r.success),
    error: (r.error as string | null) ?? null,
    ownerId: r.owner_id == null ? null : Number(r.owner_id),
    requestTime: dialect.date(r.request_time),
    completionTime: dialect.date(r.completion_time),
    duration: Number(r.duration),
    modelVersion: (r.model_version as string | null) ?? null,
  });
  // Newest first, the id breaking ties between calls of the same millisecond; a cursor page continues after the
  // (request_time, id) of the previous page's last row: a range of the (owner_id, request_time, id) index, no OFFSET.
  const order = 'order by request_time desc, id desc';
  const pageText = `select ${callColumns} from service_calls where owner_id = ? ${order} limit ? offset ?`;
  const afterText = `select ${callColumns} from service_calls where owner_id = ? and (request_time, id) < (?, ?) ${order} limit ?`;
  // Per call of the page: its first prediction, how many, and the output when there is exactly one.
  const summaryText = `select s.service_call_id, s.first_id, s.n, p.output
    from (select service_call_id, min(id) as first_id, count(*) as n from prediction_logs
          where ${dialect.anyOf('service_call_id')} group by service_call_id) s
    join prediction_logs p on p.id = s.first_id`;

  let statement: CallLogStatement | undefined;

  return {
    /**
     * Writes calls and their predictions, in plain SQL, not the ORM's unit of work, and adds them to the call,
     * user and drift rollups, all committed together. PostgreSQL: one statement that autocommits (call-log-statement.ts).
     * SQLite: one in-process transaction of cached multi-row statements, the rollups after the raw rows, which the
     * rebuild relies on (rollups/rebuild-rollups.ts). The prediction ids of each call, in order.
     */
    async insertBatch(batch: readonly LoggedCall[]): Promise<number[][]> {
      const { orm, sql } = db;
      if (batch.length === 0) return [];
      if (dialect.name === 'postgresql') {
        statement ??= callLogStatement(orm);
        const rows = await sql.write(statement.text, statement.params(batch));
        return statement.ids(
          batch.map((b) => b.predictions.length),
          rows,
        );
      }
      return sql.transaction(async (run) => {
        const callIds = await insertRows(
          orm,
          sql,
          run,
          ServiceCall,
          batch.map((b) => b.call),
        );
        const rows = batch.flatMap((b, i) => b.predictions.map((row) => ({ ...row, serviceCallId: callIds[i] })));
        const predictionIds = await insertRows(orm, sql, run, PredictionLog, rows);
        const calls = batch.map((b) => b.call);
        await upsertSums(run, dialect, callRollups, callRollupRows(calls));
        const userRows = userRollupRows(calls);
        await upsertSums(run, dialect, userRollups, userRows);
        await upsertSums(run, dialect, userDayRollups, userDayRollupRows(userRows));
        await upsertSums(run, dialect, driftRollups, driftRollupRows(batch));
        let next = 0;
        return batch.map((b) => predictionIds.slice(next, (next += b.predictions.length)));
      });
    },

    /**
     * One page of a user's calls, newest first, each with what it predicted: three reads, whatever the page holds.
     * The sort key (`after`, `next`) is [request time in ms, id].
     */
    async history(ownerId: number, { limit, offset, after }: PageRequest): Promise<Counted<HistoryRecord>> {
      const rows = after
        ? await db.sql.read(afterText, [ownerId, dialect.bind(new Date(after[0]!)), after[1], limit + 1])
        : await db.sql.read(pageText, [ownerId, limit + 1, offset]);
      const { items: calls, next } = keysetPage(rows.map(callRecord), limit, (c) => [c.requestTime.getTime(), c.id]);
      const counted = await cappedTotal(db.sql, 'service_calls where owner_id = ?', [ownerId]);
      const summaries = calls.length ? await db.sql.read(summaryText, [dialect.list(calls.map((c) => c.id))]) : [];
      const byCall = new Map(summaries.map((s) => [Number(s.service_call_id), s]));
      const items = calls.map((call): HistoryRecord => {
        const s = byCall.get(call.id);
        const n = s ? Number(s.n) : 0;
        return {
          ...call,
          firstPredictionId: s ? Number(s.first_id) : null,
          predictions: n,
          output: n === 1 ? dialect.json<Record<string, unknown>>(s!.output) : null,
        };
      });
      return { items, ...counted, next };
    },
  };
}

export type CallLogRepository = ReturnType<typeof callLogRepository>;
