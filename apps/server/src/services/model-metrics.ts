import { raw } from '@mikro-orm/core';
import { PredictionLog, type Em } from '@mlapi/db';
import type { MetricsQuery } from '@mlapi/schemas';
import { classificationFromCounts, regressionFromSums } from './metrics-math.ts';

export interface MetricsTarget {
  service: 'v1' | 'v2';
  task: 'classification' | 'regression';
  labels?: readonly string[];
  positiveLabel?: string;
}

/** Predictions of one service that have feedback, in the window, optionally for one model version. */
function withFeedback(em: Em, target: MetricsTarget, q: MetricsQuery) {
  const where: Record<string, unknown> = { serviceVersion: target.service };
  if (target.task === 'regression') where.trueValue = { $ne: null };
  else where.trueLabel = { $ne: null };
  if (q.model_version) where.modelVersion = q.model_version;
  if (q.from || q.to)
    where.createdAt = { ...(q.from ? { $gte: new Date(q.from) } : {}), ...(q.to ? { $lt: new Date(q.to) } : {}) };
  return em.createQueryBuilder(PredictionLog, 'p').where(where);
}

/**
 * The model metrics of a service over its feedback, per model version, aggregated by the database. The current
 * version is always listed (with count 0 and the reasons its metrics are undefined) unless another is asked for.
 */
export async function computeMetrics(em: Em, target: MetricsTarget, q: MetricsQuery, currentVersion: string) {
  const base = { service_version: target.service, task: target.task, from: q.from ?? null, to: q.to ?? null };
  const expected = q.model_version ?? currentVersion;
  if (target.task === 'regression') {
    const rows: Record<string, unknown>[] = await withFeedback(em, target, q)
      .select([
        'p.model_version',
        raw('count(*) as n'),
        raw('sum(abs(p.true_value - p.predicted_value)) as sae'),
        raw('sum((p.true_value - p.predicted_value) * (p.true_value - p.predicted_value)) as sse'),
        raw('sum(p.true_value) as st'),
        raw('sum(p.true_value * p.true_value) as stt'),
      ])
      .groupBy('p.model_version')
      .execute('all', false);
    const models = rows.map((r) => ({
      model_version: String(r.model_version),
      ...regressionFromSums({ n: Number(r.n), sumAbsError: Number(r.sae), sumSqError: Number(r.sse), sumActual: Number(r.st), sumSqActual: Number(r.stt) }),
    }));
    if (!models.some((m) => m.model_version === expected))
      models.push({ model_version: expected, ...regressionFromSums({ n: 0, sumAbsError: 0, sumSqError: 0, sumActual: 0, sumSqActual: 0 }) });
    return { ...base, models };
  }
  const rows: Record<string, unknown>[] = await withFeedback(em, target, q)
    .select(['p.model_version', 'p.predicted_label', 'p.true_label', raw('count(*) as n')])
    .groupBy(['p.model_version', 'p.predicted_label', 'p.true_label'])
    .execute('all', false);
  const byVersion = new Map<string, { predicted: string; actual: string; count: number }[]>([[expected, []]]);
  for (const r of rows) {
    const v = String(r.model_version);
    byVersion.set(v, [...(byVersion.get(v) ?? []), { predicted: String(r.predicted_label), actual: String(r.true_label), count: Number(r.n) }]);
  }
  const models = [...byVersion].map(([version, counts]) => ({
    model_version: version,
    ...classificationFromCounts(counts, target.labels ?? [], target.positiveLabel ?? ''),
  }));
  return { ...base, models };
}
