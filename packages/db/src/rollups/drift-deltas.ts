import type { DriftCount, NewCall } from '../records.ts';
import { bucketOf } from './buckets.ts';
import type { RollupRow } from './upsert-sums.ts';

/** A call as drift_rollups sees it: when, which service and model version, and what its predictions counted. */
export interface DriftCall {
  call: Pick<NewCall, 'requestTime' | 'serviceVersion' | 'modelVersion'>;
  drift?: readonly DriftCount[] | undefined;
}

/** The drift_rollups rows a batch of calls adds: one per bucket × service × model version × quantity × bin. */
export function driftRollupRows(batch: readonly DriftCall[]): RollupRow[] {
  const sums = new Map<string, [number, string, string, string, number, number, number]>();
  for (const { call, drift } of batch) {
    if (!drift) continue;
    const bucket = bucketOf(call.requestTime);
    for (const d of drift) {
      const id = [bucket, call.serviceVersion, call.modelVersion ?? '', d.feature, d.bin].join('\0');
      const row = sums.get(id);
      if (row) {
        row[5] += d.count;
        row[6] += d.valueSum;
      } else
        sums.set(id, [bucket, call.serviceVersion, call.modelVersion ?? '', d.feature, d.bin, d.count, d.valueSum]);
    }
  }
  return [...sums.values()];
}
