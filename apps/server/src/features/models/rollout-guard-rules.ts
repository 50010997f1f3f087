import type { CompareOutput, RolloutGuard } from '@mlapi/schemas';

type Figures = CompareOutput['baseline'];

/** What the guard makes of a candidate now: too early to tell, worse than the baseline, or as good. */
export type GuardVerdict = { verdict: 'wait'; reasons: string[] } | { verdict: 'fail' | 'pass'; reasons: string[] };

const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/**
 * Judges a candidate against its baseline over the same window. Until the candidate has `min_samples` predictions
 * with feedback (and the baseline has any), it waits. Then each guard that fails is a reason:
 * - failure rate more than `max_failure_rate_increase` above the baseline's;
 * - latency p99 above both `max_latency_p99_ratio` × the baseline's and the baseline's + `latency_slack_ms`;
 * - regressor: MAE more than `max_mae_increase` (relative) above the baseline's;
 * - classifier: F1 of the positive label or accuracy more than `max_f1_drop` / `max_accuracy_drop` below.
 * No reason: it passes. A figure either side lacks (no successful calls, an undefined F1) is not compared.
 */
export function judgeCandidate(guard: RolloutGuard, baseline: Figures, candidate: Figures): GuardVerdict {
  const scored = candidate.quality.count;
  if (scored < guard.min_samples || baseline.quality.count === 0)
    return {
      verdict: 'wait',
      reasons: [`${scored} of ${guard.min_samples} scored predictions (baseline: ${baseline.quality.count})`],
    };
  const reasons = [
    failureReason(guard, baseline, candidate),
    latencyReason(guard, baseline, candidate),
    ...qualityReasons(guard, baseline.quality, candidate.quality),
  ].filter((r) => r !== null);
  return { verdict: reasons.length > 0 ? 'fail' : 'pass', reasons };
}

function failureReason(guard: RolloutGuard, baseline: Figures, candidate: Figures): string | null {
  const [rate, base] = [candidate.failure_rate ?? 0, baseline.failure_rate ?? 0];
  const limit = base + guard.max_failure_rate_increase;
  return rate > limit ? `failure rate ${pct(rate)} against ${pct(base)} (limit ${pct(limit)})` : null;
}

function latencyReason(guard: RolloutGuard, baseline: Figures, candidate: Figures): string | null {
  const [p99, base] = [candidate.latency_ms.p99, baseline.latency_ms.p99];
  if (p99 === null || base === null) return null;
  const limit = Math.max(base * guard.max_latency_p99_ratio, base + guard.latency_slack_ms);
  return p99 > limit ? `latency p99 ${num(p99)} ms against ${num(base)} ms (limit ${num(limit)} ms)` : null;
}

/** The reason a figure is beyond its limit (above it when higher is worse, else below); null within it or when either side lacks it. */
function beyond(
  name: string,
  value: number | null,
  base: number | null,
  limitOf: (base: number) => number,
  higherIsWorse: boolean,
  show = num,
) {
  if (value === null || base === null) return null;
  const limit = limitOf(base);
  const worse = higherIsWorse ? value > limit : value < limit;
  return worse ? `${name} ${show(value)} against ${show(base)} (limit ${show(limit)})` : null;
}

function qualityReasons(guard: RolloutGuard, base: Figures['quality'], q: Figures['quality']): (string | null)[] {
  if ('mae' in q && 'mae' in base)
    return [beyond('MAE', q.mae, base.mae, (b) => b * (1 + guard.max_mae_increase), true)];
  if ('f1' in q && 'f1' in base)
    return [
      beyond('F1', q.f1, base.f1, (b) => b - guard.max_f1_drop, false),
      beyond('accuracy', q.accuracy, base.accuracy, (b) => b - guard.max_accuracy_drop, false, pct),
    ];
  return [];
}
