import type { ServiceName } from '../records.ts';
import { bucketOf, bucketsPerHour, endBucketOf, splitByDays, type ZoneShift } from '../rollups/buckets.ts';
import { binColumns } from '../rollups/latency-histogram.ts';
import { callRollups, shadowRollups, userDayRollups, userRollups } from '../rollups/rollup-shapes.ts';
import type { RepositoryContext } from './context.ts';

/** Which calls to aggregate: a window [from, to) read as whole 15-minute buckets, optionally one user's and/or one service's. */
export interface CallFilter {
  from: Date;
  to: Date;
  userId?: number | undefined;
  service?: ServiceName | undefined;
}

/** Calls in one local hour of one service with one outcome. */
export interface UsageHourRow {
  /** The local hour's number: hours since 1970-01-01T00:00 local time, its wall clock read as if it were UTC. */
  hour: number;
  service: ServiceName;
  success: boolean;
  calls: number;
}

/** The latency histogram of the successful calls in a filter (rollups/latency-histogram.ts) and their maximum. */
export interface LatencyHistogram {
  bins: number[];
  count: number;
  /** ms; null when there are none. */
  max: number | null;
}

/**
 * One model version's calls in a window — with its shadow predictions, as a shadow rollout's candidate — how many,
 * how many failed, and the successful ones' latency.
 */
export interface VersionCallsRow {
  modelVersion: string;
  calls: number;
  /** Of `calls`, the shadow predictions. */
  shadow: number;
  failures: number;
  latency: LatencyHistogram;
}

export interface TopUserRow {
  userId: number;
  username: string;
  calls: number;
}

/**
 * Usage statistics, read from the rollups written with the call log (call_rollups; user_rollups and user_day_rollups
 * for one user's usage and the top users), never from the raw rows: a window of any length reads at most a few rows
 * per 15-minute bucket, and the top users a few per user and day.
 */
export function usageRepository({ db, dialect }: RepositoryContext) {
  /** WHERE and parameters over a rollup table's rows in the filter. */
  const where = (f: CallFilter) => {
    const conditions: [string, unknown][] = [
      ['bucket >= ?', bucketOf(f.from)],
      ['bucket < ?', endBucketOf(f.to)],
    ];
    if (f.userId !== undefined) conditions.push(['owner_id = ?', f.userId]);
    if (f.service !== undefined) conditions.push(['service_version = ?', f.service]);
    return { text: conditions.map(([c]) => c).join(' and '), params: conditions.map(([, v]) => v) };
  };
  const service = (v: unknown): ServiceName => (v === 'v2' ? 'v2' : 'v1');
  /** The local hour of a rollup row as SQL, and its parameters: the bucket shifted by the zone's offset at it. */
  const localHour = (shifts: readonly ZoneShift[]) => {
    const last = shifts.at(-1)?.buckets ?? 0;
    const whens = shifts.slice(1).map((s, i) => ({ below: s.from, buckets: shifts[i]!.buckets }));
    const shift = whens.length
      ? `case ${whens.map(() => 'when bucket < ? then cast(? as integer)').join(' ')} else cast(? as integer) end`
      : 'cast(? as integer)';
    return {
      text: `(bucket + ${shift}) / ${bucketsPerHour}`,
      params: [...whens.flatMap((w) => [w.below, w.buckets]), last],
    };
  };
  const histogramText = `select ${binColumns.map((c) => `sum(${c}) as ${c}`).join(', ')}, max(duration_max) as max
    from ${callRollups.table} where `;

  return {
    /**
     * Calls per local hour × service × outcome, grouped by the database: `shifts` place each 15-minute bucket in
     * the reader's time zone (in order, the first one at or before the window; none: UTC).
     */
    async hours(f: CallFilter, shifts: readonly ZoneShift[]): Promise<UsageHourRow[]> {
      const w = where(f);
      const hour = localHour(shifts);
      if (f.userId === undefined) {
        const rows = await db.sql.read(
          `select ${hour.text} as hour, service_version, success, sum(calls) as n from ${callRollups.table}
           where ${w.text} group by 1, 2, 3`,
          [...hour.params, ...w.params],
        );
        return rows.map((r) => ({
          hour: Number(r.hour),
          service: service(r.service_version),
          success: dialect.bool(r.success),
          calls: Number(r.n),
        }));
      }
      const rows = await db.sql.read(
        `select ${hour.text} as hour, service_version, sum(calls) as n, sum(failures) as failures
         from ${userRollups.table} where ${w.text} group by 1, 2`,
        [...hour.params, ...w.params],
      );
      return rows.flatMap((r) => {
        const at = { hour: Number(r.hour), service: service(r.service_version) };
        const failures = Number(r.failures);
        return [
          { ...at, success: true, calls: Number(r.n) - failures },
          { ...at, success: false, calls: failures },
        ].filter((row) => row.calls > 0);
      });
    },

    /** The latency histogram of the successful calls of every user (latency is not kept per user). */
    async latency(f: Omit<CallFilter, 'userId'>): Promise<LatencyHistogram> {
      const w = where(f);
      const [row] = await db.sql.read(`${histogramText}${w.text} and success = ?`, [...w.params, dialect.bind(true)]);
      const bins = binColumns.map((c) => Number(row?.[c] ?? 0));
      const count = bins.reduce((s, n) => s + n, 0);
      return { bins, count, max: count === 0 ? null : Number(row?.max) };
    },

    /**
     * Per model version asked for (in that order) of one service: calls and shadow predictions, failures and
     * latency, from call_rollups and shadow_rollups.
     */
    async byModelVersion(
      f: Omit<CallFilter, 'userId'> & { service: ServiceName },
      versions: readonly string[],
    ): Promise<VersionCallsRow[]> {
      const w = where(f);
      const inVersions = `model_version in (${versions.map(() => '?').join(', ')})`;
      const part = (table: string, shadow: string) =>
        `select model_version, success, ${shadow} as shadow, calls, ${binColumns.join(', ')}, duration_max
         from ${table} where ${w.text} and ${inVersions}`;
      const rows = await db.sql.read(
        `select model_version, success, sum(shadow) as shadow, sum(calls) as calls,
           ${binColumns.map((c) => `sum(${c}) as ${c}`).join(', ')}, max(duration_max) as max
         from (${part(callRollups.table, '0')} union all ${part(shadowRollups.table, 'calls')}) r
         group by model_version, success`,
        [...w.params, ...versions, ...w.params, ...versions],
      );
      return versions.map((modelVersion) => {
        const of = rows.filter((r) => r.model_version === modelVersion);
        const ok = of.find((r) => dialect.bool(r.success));
        const failures = of.filter((r) => !dialect.bool(r.success)).reduce((n, r) => n + Number(r.calls), 0);
        const bins = binColumns.map((c) => Number(ok?.[c] ?? 0));
        const count = bins.reduce((n, b) => n + b, 0);
        return {
          modelVersion,
          calls: Number(ok?.calls ?? 0) + failures,
          shadow: of.reduce((n, r) => n + Number(r.shadow), 0),
          failures,
          latency: { bins, count, max: count === 0 ? null : Number(ok?.max) },
        };
      });
    },

    /**
     * The users with most calls (ties by id), at most `limit`: the whole UTC days of the window from
     * user_day_rollups, the partial days at its edges from user_rollups (from its covering index).
     */
    async topUsers(f: CallFilter, limit: number): Promise<TopUserRow[]> {
      const { days, edges } = splitByDays(bucketOf(f.from), endBucketOf(f.to));
      const parts: { text: string; params: unknown[] }[] = [];
      const narrow: [string, unknown][] = [];
      if (f.service !== undefined) narrow.push(['service_version = ?', f.service]);
      if (f.userId !== undefined) narrow.push(['owner_id = ?', f.userId]);
      const part = (table: string, column: string, range: { first: number; end: number }) =>
        parts.push({
          text: `select owner_id, calls from ${table}
            where ${[`${column} >= ?`, `${column} < ?`, ...narrow.map(([c]) => c)].join(' and ')}`,
          params: [range.first, range.end, ...narrow.map(([, v]) => v)],
        });
      if (days) part(userDayRollups.table, 'day', days);
      for (const edge of edges) part(userRollups.table, 'bucket', edge);
      if (parts.length === 0) return [];
      const rows = await db.sql.read(
        `select u.id, u.username, t.n from (
           select owner_id, sum(calls) as n from (${parts.map((p) => p.text).join(' union all ')}) parts
           group by owner_id) t
         join users u on u.id = t.owner_id order by t.n desc, u.id asc limit ?`,
        [...parts.flatMap((p) => p.params), limit],
      );
      return rows.map((r) => ({ userId: Number(r.id), username: String(r.username), calls: Number(r.n) }));
    },
  };
}

export type UsageRepository = ReturnType<typeof usageRepository>;
