import type { NewCall } from '../records.ts';
import { bucketOf, bucketsPerDay } from './buckets.ts';
import { binCount, binOf } from './latency-histogram.ts';
import type { RollupRow } from './upsert-sums.ts';

interface CallSums {
  key: [number, string, string, boolean];
  calls: number;
  durationSum: number;
  durationMax: number;
  bins: number[];
}

/** What a call_rollups (or shadow_rollups) row counts of a call (or shadow prediction). */
export type TimedRun = Pick<NewCall, 'requestTime' | 'serviceVersion' | 'modelVersion' | 'success' | 'duration'>;

/** The call_rollups rows a batch of calls adds: one per bucket × service × model version × outcome. */
export function callRollupRows(calls: readonly TimedRun[]): RollupRow[] {
  const sums = new Map<string, CallSums>();
  for (const c of calls) {
    const key: CallSums['key'] = [bucketOf(c.requestTime), c.serviceVersion, c.modelVersion ?? '', c.success];
    const id = key.join('\0');
    let s = sums.get(id);
    if (!s)
      sums.set(id, (s = { key, calls: 0, durationSum: 0, durationMax: 0, bins: Array<number>(binCount).fill(0) }));
    s.calls++;
    s.durationSum += c.duration;
    s.durationMax = Math.max(s.durationMax, c.duration);
    s.bins[binOf(c.duration)]!++;
  }
  return [...sums.values()].map((s) => [...s.key, s.calls, s.durationSum, ...s.bins, s.durationMax]);
}

/** A user's calls and failures on one service in one bucket (user_rollups) or day (user_day_rollups). */
type UserCounts = [owner: number, at: number, service: string, calls: number, failures: number];

/** Sums rows of the same owner × `at` × service after mapping `at`. */
function sumUserCounts(rows: Iterable<UserCounts>, at: (value: number) => number): UserCounts[] {
  const sums = new Map<string, UserCounts>();
  for (const [owner, value, service, calls, failures] of rows) {
    const key: UserCounts = [owner, at(value), service, 0, 0];
    const id = key.slice(0, 3).join('\0');
    const s = sums.get(id) ?? key;
    sums.set(id, s);
    s[3] += calls;
    s[4] += failures;
  }
  return [...sums.values()];
}

/** The user_rollups rows a batch of calls adds: one per user × bucket × service, with its calls and failures. */
export const userRollupRows = (calls: readonly NewCall[]): UserCounts[] =>
  sumUserCounts(
    calls.map((c) => [c.owner, c.requestTime.getTime(), c.serviceVersion, 1, c.success ? 0 : 1]),
    (ms) => bucketOf(new Date(ms)),
  );

/** The user_day_rollups rows the same calls add: their user_rollups rows summed per UTC day. */
export const userDayRollupRows = (userRows: readonly UserCounts[]): UserCounts[] =>
  sumUserCounts(userRows, (bucket) => Math.floor(bucket / bucketsPerDay));
