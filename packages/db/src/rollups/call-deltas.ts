import type { NewCall } from '../records.ts';
import { bucketOf } from './buckets.ts';
import { binCount, binOf } from './latency-histogram.ts';
import type { RollupRow } from './upsert-sums.ts';

interface CallSums {
  key: [number, string, string, boolean];
  calls: number;
  durationSum: number;
  durationMax: number;
  bins: number[];
}

/** The call_rollups rows a batch of calls adds: one per bucket × service × model version × outcome. */
export function callRollupRows(calls: readonly NewCall[]): RollupRow[] {
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

/** The user_rollups rows a batch of calls adds: one per user × bucket × service, with its calls and failures. */
export function userRollupRows(calls: readonly NewCall[]): RollupRow[] {
  const sums = new Map<string, [number, number, string, number, number]>();
  for (const c of calls) {
    const bucket = bucketOf(c.requestTime);
    const id = `${c.owner}\0${bucket}\0${c.serviceVersion}`;
    let s = sums.get(id);
    if (!s) sums.set(id, (s = [c.owner, bucket, c.serviceVersion, 0, 0]));
    s[3]++;
    if (!c.success) s[4]++;
  }
  return [...sums.values()];
}
