import { bucketOf, endBucketOf, percentile, type CallFilter, type UsageRepository } from '@mlapi/db';
import type { UsageOutput } from '@mlapi/schemas';
import { localDates, localHourFacts, zoneShifts } from './time-buckets.ts';

/** Which calls to aggregate (a window [from, to) of whole 15-minute buckets, optionally one user's and/or one service's), and the time zone to place them in. */
export interface UsageFilter extends CallFilter {
  tz: string;
}

const topUserCount = 10;

/**
 * Usage statistics from the rollups: calls per local hour × service × outcome (the database groups the 15-minute
 * buckets by the zone's shifts, see time-buckets.ts), latency percentiles from the summed histogram, and the users with most
 * calls. Latency counts successful calls only (a refused call's duration says nothing of the model).
 */
export async function computeUsage(
  usage: UsageRepository,
  f: UsageFilter,
): Promise<Omit<UsageOutput, 'user_id' | 'service'>> {
  const fromMs = f.from.getTime();
  const toMs = f.to.getTime();
  // Three independent reads: at once (on PostgreSQL each on its own connection).
  const [hourRows, topRows, latencyMs] = await Promise.all([
    usage.hours(f, zoneShifts(f.tz, bucketOf(f.from), endBucketOf(f.to))),
    usage.topUsers(f, topUserCount),
    f.userId === undefined ? latency(usage, f) : null,
  ]);

  const dates = localDates(f.tz, fromMs, toMs);
  const perDay = new Map(dates.map((date) => [date, { date, v1: 0, v2: 0, total: 0, failures: 0 }]));
  const byService = {
    v1: { service: 'v1' as const, calls: 0, successes: 0 },
    v2: { service: 'v2' as const, calls: 0, successes: 0 },
  };
  const heatmap = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  let total = 0;
  let successes = 0;
  for (const { hour, service, success: ok, calls: n } of hourRows) {
    const at = localHourFacts(hour);
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
    latency_ms: latencyMs,
    top_users: topRows.map((r) => ({ user_id: r.userId, username: r.username, calls: r.calls })),
  };
}

async function latency(usage: UsageRepository, f: UsageFilter): Promise<UsageOutput['latency_ms']> {
  const { bins, count, max } = await usage.latency(f);
  const at = (p: number) => (max === null ? null : percentile(bins, p, max));
  return { count, p50: at(50), p95: at(95), p99: at(99), max };
}
