import { RolloutConflictError, type RolloutRecord } from '@mlapi/db';
import { rolloutGuardSchema, type RolloutGuard, type RolloutOutput, type ServiceVersion } from '@mlapi/schemas';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { findVersion, loadChecked } from './model-store.ts';
import { disposeModel } from './served-models.ts';
import { inTurn } from './service-turns.ts';

/** The admin who asked. */
type Actor = { id: number; username: string };

/** What a rollout starts with (PUT /admin/models/{service}/rollout). */
export interface RolloutRequest {
  version: string;
  mode: 'canary' | 'shadow';
  /** The canary's share of users (absent for a shadow). */
  percent?: number | undefined;
  guard: RolloutGuard;
  auto_promote: boolean;
}

/** How a rollout tries its candidate here. */
const tried = (r: RolloutRecord) => ({ mode: r.mode, percent: r.percent ?? 0 });

/** A rollout as the API shows it. */
export function rolloutDto(r: RolloutRecord): RolloutOutput {
  return {
    service: r.service,
    candidate: r.candidateVersion,
    baseline: r.baselineVersion,
    mode: r.mode,
    percent: r.percent,
    started_by: r.startedByUsername,
    started_at: r.startedAt.toISOString(),
    ended_at: r.endedAt?.toISOString() ?? null,
    guard: rolloutGuardSchema.parse(r.guard),
    auto_promote: r.autoPromote,
    outcome: r.outcome,
    ended_by: r.endedByUsername,
    decision: r.decision as RolloutOutput['decision'],
  };
}

/**
 * Starts a rollout of a registered version beside the live one: loaded and checked here first (as a promote does),
 * then recorded, then tried here (answering its share of users, or predicting every call as a shadow); every other replica follows the notification. One rollout
 * per service at a time, of a registered or retired version (409 otherwise).
 */
export function startRollout(
  deps: AppDeps,
  service: ServiceVersion,
  request: RolloutRequest,
  actor: Actor,
): Promise<RolloutOutput> {
  return inTurn(deps, service, async () => {
    const target = await findVersion(deps, service, request.version);
    const model = await loadChecked(deps, service, target);
    // The registry decides, under the service's lock, whether it may start (one running, a registered candidate).
    let started: RolloutRecord;
    try {
      started = await deps.data.modelRollouts.start({
        candidateId: target.id,
        mode: request.mode,
        percent: request.percent ?? null,
        guard: request.guard,
        autoPromote: request.auto_promote,
        actor,
        at: deps.now(),
      });
    } catch (err) {
      await disposeModel(model);
      throw err instanceof RolloutConflictError ? conflict(err.message) : err;
    }
    const candidate = { model, versionId: target.id, rolloutId: started.id, ...tried(started) };
    await deps.models.setCandidate(service, candidate, deps.now());
    deps.logger.info(
      { service, candidate: target.version, mode: started.mode, percent: started.percent },
      'rollout started',
    );
    return rolloutDto(started);
  });
}

/** Stops the service's running rollout (in the caller's turn): its candidate returns to `registered`. */
export async function stopRollout(deps: AppDeps, service: ServiceVersion, actor: Actor): Promise<RolloutRecord | null> {
  const stopped = await deps.data.modelRollouts.stop(service, { actor, at: deps.now() });
  await deps.models.setCandidate(service, null);
  if (stopped) deps.logger.info({ service, candidate: stopped.candidateVersion }, 'rollout stopped');
  return stopped;
}

/**
 * Makes this replica's candidate match the service's running rollout (in the caller's turn): how every replica follows
 * a rollout started, ended or replaced on any of them. A candidate that does not load here is logged, and the live
 * version answers everyone on this replica.
 */
export async function followCandidate(deps: AppDeps, service: ServiceVersion): Promise<void> {
  const running = await deps.data.modelRollouts.running(service);
  const current = deps.models.candidate(service);
  if (!running) {
    if (current) await deps.models.setCandidate(service, null);
    return;
  }
  if (current?.rolloutId === running.id) return;
  const version = await deps.data.modelRegistry.version(service, running.candidateVersion);
  try {
    if (!version) throw new Error(`${service} ${running.candidateVersion} is no longer registered`);
    const model = await loadChecked(deps, service, version);
    const candidate = { model, versionId: version.id, rolloutId: running.id, ...tried(running) };
    await deps.models.setCandidate(service, candidate, deps.now());
    deps.logger.info({ service, candidate: version.version }, 'now running the rollout of the model registry');
  } catch (err) {
    await deps.models.setCandidate(service, null);
    deps.logger.error(
      { err, service, candidate: running.candidateVersion },
      "the rollout's candidate could not be loaded here; the live version answers every user of this replica",
    );
  }
}
