import type { Em } from '@mlapi/db';
import type { UsageOutput } from '@mlapi/schemas';
import { bucketSizeFor, localDates, localTimeIn } from './time-buckets.ts';

export type Dialect = 'sqlite' | 'postgresql';

/** Which calls to aggregate: a window [from, to), optionally one user's and/or one service's. */
export interface UsageFilter {
  from: Date;
  to: Date;
  tz: string;
  userId?: number | undefined;
  service?: 'v1' | 'v2' | undefined;
}

export const percentiles = [50, 95, 99] as const;
const topUserCount = 10;

/** Nearest-rank percentile: the 1-based rank ⌈p/100 · n⌉ in ascending order (the same definition on both dialects). */
export const nearestRank = (p: number, n: number) => Math.max(1, Math.ceil((p / 100) * n));

/** How each dialect stores times and booleans: SQLite (MikroORM) has integer milliseconds and 0/1. */
function sqlFor(dialect: Dialect, bucketMs: number) {
  return dialect === 'sqlite'
    ? { bucket: `(c.request_time / ${bucketMs})`, time: (d: Date) => d.getTime(), yes: 1 as const }
    : { bucket: `floor(extract(epoch from c.request_time) * 1000 / ${bucketMs})::bigint`, time: (d: Date) => d, yes: true as const };
}

/**
 * Usage statistics over `service_calls`, aggregated by the database: calls per UTC time bucket × service ×
 * outcome (then placed in the time zone, see time-buckets.ts), latency percentiles by ORDER BY … OFFSET, and the
 * users with most calls. Latency counts successful calls only (a refused call's duration says nothing of the model).
 */
export async function computeUsage(em: Em, dialect: Dialect, f: UsageFilter): Promise<Omit<UsageOutput, 'user_id' | 'service'>> {
  const fromMs = f.from.getTime();
  const toMs = f.to.getTime();
  const bucketMs = bucketSizeFor(f.tz, fromMs, toMs);
  const sql = sqlFor(dialect, bucketMs);
  const knex = em.getKnex();
  const calls = () => {
    const qb = knex('service_calls as c').where('c.request_time', '>=', sql.time(f.from)).andWhere('c.request_time', '<', sql.time(f.to));
    if (f.userId !== undefined) qb.andWhere('c.owner_id', f.userId);
    if (f.service !== undefined) qb.andWhere('c.service_version', f.service);
    return qb;
  };
  const successful = () => calls().andWhere('c.success', sql.yes);

  const bucketRows: Record<string, unknown>[] = await calls()
    .select(knex.raw(`${sql.bucket} as bucket`), 'c.service_version', 'c.success', knex.raw('count(*) as n'))
    .groupByRaw('1, 2, 3');

  const dates = localDates(f.tz, fromMs, toMs);
  const perDay = new Map(dates.map((date) => [date, { date, v1: 0, v2: 0, total: 0, failures: 0 }]));
  const byService = { v1: { service: 'v1' as const, calls: 0, successes: 0 }, v2: { service: 'v2' as const, calls: 0, successes: 0 } };
  const heatmap = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  const local = localTimeIn(f.tz);
  let total = 0;
  let successes = 0;
  for (const row of bucketRows) {
    const n = Number(row.n);
    const service = row.service_version === 'v2' ? 'v2' : 'v1';
    const ok = Boolean(Number(row.success));
    const at = local(Number(row.bucket) * bucketMs);
    total += n;
    byService[service].calls += n;
    if (ok) {
      successes += n;
      byService[service].successes += n;
    }
    heatmap[at.weekday]![at.hour]! += n;
    const day = perDay.get(at.date);
    if (day) {
      day[service] += n;
      day.total += n;
      if (!ok) day.failures += n;
    }
  }

  const [stats] = (await successful().select(knex.raw('count(*) as n'), knex.raw('max(c.duration) as max'))) as Record<string, unknown>[];
  const count = Number(stats?.n ?? 0);
  const at = async (p: number) => {
    if (count === 0) return null;
    const [row] = (await successful().select('c.duration').orderBy('c.duration', 'asc').offset(nearestRank(p, count) - 1).limit(1)) as Record<string, unknown>[];
    return row ? Number(row.duration) : null;
  };
  const [p50, p95, p99] = [await at(50), await at(95), await at(99)];

  const topRows: Record<string, unknown>[] = await calls()
    .join('users as u', 'u.id', 'c.owner_id')
    .select('u.id', 'u.username', knex.raw('count(*) as n'))
    .groupBy('u.id', 'u.username')
    .orderBy([
      { column: 'n', order: 'desc' },
      { column: 'u.id', order: 'asc' },
    ])
    .limit(topUserCount);

  return {
    from: f.from.toISOString(),
    to: f.to.toISOString(),
    tz: f.tz,
    total,
    successes,
    failures: total - successes,
    success_rate: total === 0 ? null : successes / total,
    by_service: [byService.v1, byService.v2],
    by_hour: Array.from({ length: 24 }, (_, h) => heatmap.reduce((s, row) => s + row[h]!, 0)),
    by_weekday: heatmap.map((row) => row.reduce((s, n) => s + n, 0)),
    heatmap,
    per_day: [...perDay.values()],
    latency_ms: { count, p50, p95, p99, max: count === 0 ? null : Number(stats?.max) },
    top_users: topRows.map((r) => ({ user_id: Number(r.id), username: String(r.username), calls: Number(r.n) })),
  };
}
