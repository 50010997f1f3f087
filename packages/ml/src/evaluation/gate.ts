/**
 * The evaluation gate: a retrained candidate against the live version, first on the most recent labelled examples
 * not used for training (the primary test), then on the base data set's fixed held-out split (a looser guard
 * against forgetting). The margins are documented in the README ("Retraining").
 */
import type { ModelTask } from '../model.ts';
import type { EvaluatedMetrics } from '@mlapi/schemas';

export interface GateMargins {
  /** Fewest recent examples the primary test needs; with fewer it is not applied (and the reasons say so). */
  minRecent: number;
  /** Classifier: how far F1 and accuracy may fall below live's (absolute), on recent examples / on held-out. */
  recentScoreDrop: number;
  holdoutScoreDrop: number;
  /** Regressor: how far MAE may rise above live's (relative, 0.05 = 5 %), on recent examples / on held-out. */
  recentMaeRise: number;
  holdoutMaeRise: number;
}

const defaultGateMargins: GateMargins = {
  minRecent: 30,
  recentScoreDrop: 0.02,
  holdoutScoreDrop: 0.05,
  recentMaeRise: 0.05,
  holdoutMaeRise: 0.25,
};

/** One evaluation set's figures for both models; `liveMae` overrides live's MAE as the baseline (see below). */
interface GateSet {
  candidate: EvaluatedMetrics;
  live: EvaluatedMetrics;
  /** The regression baseline when live's own figure on this set is not a fair one (live was fitted on it). */
  liveMaeBaseline?: { value: number; why: string };
}

const fmt = (v: number, task: ModelTask) => (task === 'regression' ? Math.round(v).toLocaleString('en') : v.toFixed(3));

/** The checks of one set: each a reason, and whether it failed. */
function checks(set: GateSet, name: string, task: ModelTask, drop: number, rise: number) {
  const out: { failed: boolean; reason: string }[] = [];
  if (task === 'classification') {
    for (const metric of ['f1', 'accuracy'] as const) {
      const c = set.candidate[metric]?.value;
      const l = set.live[metric]?.value;
      if (c == null || l == null) {
        out.push({ failed: false, reason: `${name}: ${metric} undefined (no positives), not compared` });
        continue;
      }
      const limit = l - drop;
      out.push({
        failed: c < limit,
        reason: `${name}: ${metric} ${fmt(c, task)} against live ${fmt(l, task)} (at least ${fmt(limit, task)})`,
      });
    }
    return out;
  }
  const c = set.candidate.mae?.value;
  const l = set.liveMaeBaseline?.value ?? set.live.mae?.value;
  if (c == null || l == null) return [{ failed: false, reason: `${name}: MAE undefined, not compared` }];
  const limit = l * (1 + rise);
  const baseline = set.liveMaeBaseline ? `live's ${set.liveMaeBaseline.why}` : 'live';
  out.push({
    failed: c > limit,
    reason: `${name}: MAE ${fmt(c, task)} against ${baseline} ${fmt(l, task)} (at most ${fmt(limit, task)})`,
  });
  return out;
}

/** Whether the candidate may go on (to a shadow rollout), and why: the failed checks first. */
export function gateDecision(
  task: ModelTask,
  recent: GateSet,
  holdout: GateSet,
  margins: GateMargins = defaultGateMargins,
): { passed: boolean; reasons: string[] } {
  const results =
    recent.candidate.n < margins.minRecent
      ? [
          {
            failed: false,
            reason: `recent examples: only ${recent.candidate.n} not used for training (fewer than ${margins.minRecent}), so the primary test was not applied`,
          },
        ]
      : checks(recent, 'recent examples', task, margins.recentScoreDrop, margins.recentMaeRise);
  results.push(...checks(holdout, 'held-out split', task, margins.holdoutScoreDrop, margins.holdoutMaeRise));
  const failed = results.filter((r) => r.failed);
  return {
    passed: failed.length === 0,
    reasons: [...failed, ...results.filter((r) => !r.failed)].map((r) => (r.failed ? `failed: ${r.reason}` : r.reason)),
  };
}
