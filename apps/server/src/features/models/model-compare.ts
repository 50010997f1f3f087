import { percentile, snapWindow, type RolloutRecord } from '@mlapi/db';
import type { CompareOutput, CompareQuery, ServiceVersion } from '@mlapi/schemas';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { computeMetrics } from '../ml/model-metrics.ts';
import { rolloutDto } from './model-rollout.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** Which versions and window a comparison reads: what was asked, else the rollout's, else the live version and a day. */
async function resolveComparison(deps: AppDeps, q: CompareQuery) {
  const rollout: RolloutRecord | undefined =
    q.candidate === undefined ? (await deps.data.modelRollouts.list(q.service, 1))[0] : undefined;
  const candidate = q.candidate ?? rollout?.candidateVersion;
  if (candidate === undefined)
    throw conflict(`${q.service} has had no rollout to compare: name the version (?candidate=…)`);
  const baseline = q.baseline ?? rollout?.baselineVersion ?? (await deps.data.modelRegistry.live(q.service))?.version;
  if (baseline === undefined)
    throw conflict(`${q.service} has no live version to compare with: name one (?baseline=…)`);
  const to = q.to ? new Date(q.to) : (rollout?.endedAt ?? deps.now());
  const from = q.from ? new Date(q.from) : (rollout?.startedAt ?? new Date(to.getTime() - dayMs));
  return { rollout, candidate, baseline, window: snapWindow(from, to) };
}

/**
 * Two versions of a service side by side over the same window — calls (with shadow predictions), failure rate,
 * latency p50/p99 and quality on feedback with its count — from the rollups written with the call log and the feedback (never the raw rows).
 */
export async function compareVersions(deps: AppDeps, q: CompareQuery): Promise<CompareOutput> {
  const { rollout, candidate, baseline, window } = await resolveComparison(deps, q);
  const { from, to } = window;
  const service: ServiceVersion = q.service;
  const calls = await deps.data.usage.byModelVersion({ service, from, to }, [baseline, candidate]);
  const model = deps.models.current(service);
  const target = {
    service,
    task: model.task,
    labels: model.labels,
    positiveLabel: model.positiveLabel,
  };
  const figures = async (index: 0 | 1) => {
    const row = calls[index]!;
    const quality = await computeMetrics(
      deps.data.predictions,
      target,
      { from: from.toISOString(), to: to.toISOString(), model_version: row.modelVersion },
      row.modelVersion,
    );
    const { bins, max } = row.latency;
    return {
      version: row.modelVersion,
      calls: row.calls,
      shadow: row.shadow,
      failures: row.failures,
      failure_rate: row.calls === 0 ? null : row.failures / row.calls,
      latency_ms: { p50: percentile(bins, 50, max ?? 0), p99: percentile(bins, 99, max ?? 0) },
      quality: quality.models[0]!,
    };
  };
  const [baselineFigures, candidateFigures] = await Promise.all([figures(0), figures(1)]);
  return {
    service,
    from: from.toISOString(),
    to: to.toISOString(),
    rollout: rollout ? rolloutDto(rollout) : null,
    baseline: baselineFigures,
    candidate: candidateFigures,
  };
}
