import { driftRollups } from '../rollups/rollup-shapes.ts';
import type { DriftCount, ServiceName } from '../records.ts';
import type { RepositoryContext } from './context.ts';

/** A window of drift_rollups: one model version of a service, buckets [first, end). */
export interface DriftWindow {
  service: ServiceName;
  modelVersion: string;
  firstBucket: number;
  endBucket: number;
}

/** Reads of drift_rollups (written by the call log, see call-log.ts): what was served, per reference bin. */
export function driftRepository({ db }: RepositoryContext) {
  const where = `from ${driftRollups.table}
    where service_version = ? and model_version = ? and bucket >= ? and bucket < ?`;
  const params = (w: DriftWindow) => [w.service, w.modelVersion, w.firstBucket, w.endBucket];
  const totalsText = `select feature, bin, sum(count) as n, sum(value_sum) as total ${where} group by feature, bin`;
  const count = (r: Record<string, unknown>): DriftCount => ({
    feature: String(r.feature),
    bin: Number(r.bin),
    count: Number(r.n),
    valueSum: Number(r.total),
  });
  return {
    /** Each quantity's bins summed over the window (bins nothing fell in are absent). */
    async totals(w: DriftWindow): Promise<DriftCount[]> {
      return (await db.sql.read(totalsText, params(w))).map(count);
    },
  };
}
