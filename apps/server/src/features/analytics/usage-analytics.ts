import type { CallFilter, UsageRepository } from '@mlapi/db';
import type { UsageOutput } from '@mlapi/schemas';
import { bucketSizeFor, localDates, localTimeIn } from './time-buckets.ts';

/** Which calls to aggregate (a window [from, to), optionally one user's and/or one service's), and the time zone to place them in. */
export interface UsageFilter extends CallFilter {
  tz: string;
}

const topUserCount = 10;

/** Nearest-rank percentile: the 1-based rank ⌈p/100 · n⌉ in ascending order (the same definition on both dialects). */
export const nearestRank = (p: number, n: number) => Math.max(1, Math.ceil((p / 100) * n));

/**
 * Usage statistics over `service_calls`, aggregated by the database: calls per UTC time bucket × service ×
 * outcome (then placed in the time zone, see time-buckets.ts), latency percentiles by ORDER BY … OFFSET, and the
 * users with most calls. Latency counts successful calls only (a refused call's duration says nothing of the model).
 */
export async function computeUsage(
  usage: UsageRepository,
  f: UsageFilter,
): Promise<Omit<UsageOutput, 'user_id' | 'service'>> {
  const fromMs = f.from.getTime();
  const toMs = f.to.getTime();
  const bucketMs = bucketSizeFor(f.tz, fromMs, toMs);
  const bucketRows = await usage.buckets(f, bucketMs);

  const dates = localDates(f.tz, fromMs, toMs);
  const perDay = new Map(dates.map((date) => [date, { date, v1: 0, v2: 0, total: 0, failures: 0 }]));
  const byService = {
    v1: { service: 'v1' as const, calls: 0, successes: 0 },
    v2: { service: 'v2' as const, calls: 0, successes: 0 },
  };
  const heatmap = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  const local = localTimeIn(f.tz);
  let total = 0;
  let successes = 0;
  for (const { bucket, service, success: ok, calls: n } of bucketRows) {
    const at = local(bucket * bucketMs);
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

  const { count, max } = await usage.latencySummary(f);
  const at = async (p: number) => (count === 0 ? null : usage.latencyAtRank(f, nearestRank(p, count)));
  const [p50, p95, p99] = [await at(50), await at(95), await at(99)];
  const topRows = await usage.topUsers(f, topUserCount);

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
    latency_ms: { count, p50, p95, p99, max },
    top_users: topRows.map((r) => ({ user_id: r.userId, username: r.username, calls: r.calls })),
  };
}
