import { bucketCeil, bucketFloor, type PredictionsRepository, type QualityFilter } from '@mlapi/db';
import { classificationFromCounts, regressionFromSums, type LabelCount } from '@mlapi/ml';
import type { MetricsQuery, ServiceVersion } from '@mlapi/schemas';

export interface MetricsTarget {
  service: ServiceVersion;
  task: 'classification' | 'regression';
  labels?: readonly string[];
  positiveLabel?: string;
}

/**
 * The model metrics of a service over its feedback, per model version, from the quality rollups. The current
 * version is always listed (with count 0 and the reasons its metrics are undefined) unless another is asked for.
 */
export async function computeMetrics(
  predictions: PredictionsRepository,
  target: MetricsTarget,
  q: MetricsQuery,
  currentVersion: string,
) {
  // The window widened to whole 15-minute buckets, the rollups' grain: the reply says which it used.
  const from = q.from ? bucketFloor(new Date(q.from)) : undefined;
  const to = q.to ? bucketCeil(new Date(q.to)) : undefined;
  const base = {
    service_version: target.service,
    task: target.task,
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
  };
  const expected = q.model_version ?? currentVersion;
  const filter: QualityFilter = { service: target.service, modelVersion: q.model_version, from, to };
  if (target.task === 'regression') {
    const models = (await predictions.regressionSums(filter)).map(({ modelVersion, ...sums }) => ({
      model_version: modelVersion,
      ...regressionFromSums(sums),
    }));
    if (!models.some((m) => m.model_version === expected))
      models.push({
        model_version: expected,
        ...regressionFromSums({ n: 0, sumAbsError: 0, sumSqError: 0, sumActual: 0, sumSqActual: 0 }),
      });
    return { ...base, models };
  }
  const byVersion = new Map<string, LabelCount[]>([[expected, []]]);
  for (const { modelVersion, ...count } of await predictions.confusionCounts(filter)) {
    byVersion.set(modelVersion, [...(byVersion.get(modelVersion) ?? []), count]);
  }
  const models = [...byVersion].map(([version, counts]) => ({
    model_version: version,
    ...classificationFromCounts(counts, target.labels ?? [], target.positiveLabel ?? ''),
  }));
  return { ...base, models };
}
