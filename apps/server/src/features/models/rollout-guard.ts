import type { ServiceVersion } from '@mlapi/schemas';
import { rolloutGuardSchema } from '@mlapi/schemas';
import type { AppDeps } from '../../core/deps.ts';
import { sendAlert } from '../ops/alert-webhook.ts';
import { compareVersions } from './model-compare.ts';
import { followLive } from './model-promotion.ts';
import { rolloutDto } from './model-rollout.ts';
import { judgeCandidate } from './rollout-guard-rules.ts';

/** How often every replica judges the running rollouts (a verdict lands within this of its evidence). */
const guardIntervalMs = 2000;
/** The name the guard's verdicts are recorded under (audit log, `ended_by`). */
const guardName = 'rollout guard';

/**
 * Judges the service's running rollout, if any, on the figures since it started (from the rollups): a candidate
 * worse than its baseline beyond the guard is rolled back; one that holds every guard is made live when the rollout
 * asks for it. Exactly one replica's verdict ends a rollout (the database takes them in turn); that replica records
 * it, counts it and sends the alert, and every replica then follows the change.
 */
async function judgeRollout(deps: AppDeps, service: ServiceVersion): Promise<void> {
  // Every replica runs the candidate of a running rollout (it follows the notifications): none here, none to judge.
  if (!deps.models.candidate(service)) return;
  const running = await deps.data.modelRollouts.running(service);
  if (!running) return;
  const { baseline, candidate } = await compareVersions(deps, {
    service,
    candidate: running.candidateVersion,
    baseline: running.baselineVersion,
    from: running.startedAt.toISOString(),
  });
  const verdict = judgeCandidate(rolloutGuardSchema.parse(running.guard), baseline, candidate);
  if (verdict.verdict === 'wait' || (verdict.verdict === 'pass' && !running.autoPromote)) return;
  const outcome = verdict.verdict === 'fail' ? 'auto_rolled_back' : 'auto_promoted';
  const decision = { reasons: verdict.reasons, baseline, candidate };
  const decided = await deps.data.modelRollouts.decide(running.id, outcome, decision, {
    username: guardName,
    at: deps.now(),
  });
  if (!decided) return;
  deps.metrics.rolloutVerdicts.inc({ service, outcome });
  deps.logger.warn(
    { service, outcome, candidate: running.candidateVersion, reasons: verdict.reasons },
    'rollout guard',
  );
  await followLive(deps, service);
  await sendAlert(deps, `rollout.${outcome}`, { service, rollout: rolloutDto(decided) });
}

/** Judges every service's running rollout every {@link guardIntervalMs}; returns the stop function. */
export function watchRollouts(deps: AppDeps, services: readonly ServiceVersion[]): () => void {
  let judging = false;
  const timer = setInterval(() => {
    if (judging) return;
    judging = true;
    void Promise.all(
      services.map((service) =>
        judgeRollout(deps, service).catch((err: unknown) =>
          deps.logger.warn({ err, service }, 'the rollout guard could not judge; trying again'),
        ),
      ),
    ).finally(() => (judging = false));
  }, guardIntervalMs).unref();
  return () => clearInterval(timer);
}
