import type { ServiceName } from '../records.ts';
import type { RepositoryContext } from './context.ts';

/** Which calls to aggregate: a window [from, to), optionally one user's and/or one service's. */
export interface CallFilter {
  from: Date;
  to: Date;
  userId?: number | undefined;
  service?: ServiceName | undefined;
}

/** Calls in one time bucket of one service with one outcome. */
export interface UsageBucketRow {
  /** The bucket's number: its start is `bucket × bucketMs` ms after the epoch. */
  bucket: number;
  service: ServiceName;
  success: boolean;
  calls: number;
}

export interface TopUserRow {
  userId: number;
  username: string;
  calls: number;
}

/** Usage statistics over the call log (`service_calls`), aggregated by the database. */
export function usageRepository({ db, dialect }: RepositoryContext) {
  /** WHERE (on `service_calls c`) and parameters; `successful` keeps successful calls only. */
  const where = (f: CallFilter, successful = false) => {
    const conditions: [string, unknown][] = [
      ['c.request_time >= ?', dialect.bind(f.from)],
      ['c.request_time < ?', dialect.bind(f.to)],
    ];
    if (f.userId !== undefined) conditions.push(['c.owner_id = ?', f.userId]);
    if (f.service !== undefined) conditions.push(['c.service_version = ?', f.service]);
    if (successful) conditions.push(['c.success = ?', dialect.bind(true)]);
    return { text: conditions.map(([c]) => c).join(' and '), params: conditions.map(([, v]) => v) };
  };

  return {
    /** Calls per `bucketMs`-wide time bucket × service × outcome. */
    async buckets(f: CallFilter, bucketMs: number): Promise<UsageBucketRow[]> {
      const w = where(f);
      const rows = await db.sql.read(
        `select ${dialect.bucket('c.request_time', bucketMs)} as bucket, c.service_version, c.success, count(*) as n
         from service_calls c where ${w.text} group by 1, 2, 3`,
        w.params,
      );
      return rows.map((r) => ({
        bucket: Number(r.bucket),
        service: r.service_version === 'v2' ? 'v2' : 'v1',
        success: dialect.bool(r.success),
        calls: Number(r.n),
      }));
    },

    /** How many successful calls there are, and the longest duration among them (ms; null when none). */
    async latencySummary(f: CallFilter): Promise<{ count: number; max: number | null }> {
      const w = where(f, true);
      const [row] = await db.sql.read(
        `select count(*) as n, max(c.duration) as max from service_calls c where ${w.text}`,
        w.params,
      );
      const count = Number(row?.n ?? 0);
      return { count, max: count === 0 ? null : Number(row?.max) };
    },

    /** The duration at a 1-based rank among the successful calls in ascending order, or null past the end. */
    async latencyAtRank(f: CallFilter, rank: number): Promise<number | null> {
      const w = where(f, true);
      const [row] = await db.sql.read(
        `select c.duration from service_calls c where ${w.text} order by c.duration asc limit 1 offset ?`,
        [...w.params, rank - 1],
      );
      return row ? Number(row.duration) : null;
    },

    /** The users with most calls (ties by id), at most `limit`. */
    async topUsers(f: CallFilter, limit: number): Promise<TopUserRow[]> {
      const w = where(f);
      const rows = await db.sql.read(
        `select u.id, u.username, count(*) as n from service_calls c join users u on u.id = c.owner_id
         where ${w.text} group by u.id, u.username order by n desc, u.id asc limit ?`,
        [...w.params, limit],
      );
      return rows.map((r) => ({ userId: Number(r.id), username: String(r.username), calls: Number(r.n) }));
    },
  };
}

export type UsageRepository = ReturnType<typeof usageRepository>;
