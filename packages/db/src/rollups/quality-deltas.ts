import { bucketOf } from './buckets.ts';
import type { RollupRow } from './upsert-sums.ts';

/** A logged prediction as its feedback rollups see it: what it predicted, and the truth it had before. */
export interface LabelledPrediction {
  serviceVersion: string;
  modelVersion: string;
  createdAt: Date;
  predictedLabel: string | null;
  predictedValue: number | null;
  trueLabel: string | null;
  trueValue: number | null;
}

/** The confusion_rollups rows that move a prediction's count from its old true label (if any) to the new one. */
export function confusionDeltas(p: LabelledPrediction, actual: string): RollupRow[] {
  if (p.predictedLabel === null || p.trueLabel === actual) return [];
  const key = [bucketOf(p.createdAt), p.serviceVersion, p.modelVersion, p.predictedLabel] as const;
  const rows: RollupRow[] = [[...key, actual, 1]];
  if (p.trueLabel !== null) rows.push([...key, p.trueLabel, -1]);
  return rows;
}

const regressionTerms = (predicted: number, actual: number, sign: 1 | -1) => {
  const error = predicted - actual;
  return [sign, sign * error, sign * Math.abs(error), sign * error * error, sign * actual, sign * actual * actual];
};

/** The regression_rollups row that takes a prediction's old true value (if any) out and puts the new one in. */
export function regressionDeltas(p: LabelledPrediction, actual: number): RollupRow[] {
  if (p.predictedValue === null || p.trueValue === actual) return [];
  const add = regressionTerms(p.predictedValue, actual, 1);
  const remove = p.trueValue === null ? [0, 0, 0, 0, 0, 0] : regressionTerms(p.predictedValue, p.trueValue, -1);
  return [[bucketOf(p.createdAt), p.serviceVersion, p.modelVersion, ...add.map((v, i) => v + remove[i]!)]];
}
