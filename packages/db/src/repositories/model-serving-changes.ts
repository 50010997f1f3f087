import { LockMode } from '@mikro-orm/core';
import { ModelDeployment } from '../entities/model-deployment.entity.ts';
import { ModelRollout, type IModelRollout } from '../entities/model-rollout.entity.ts';
import { ModelVersion, type IModelVersion } from '../entities/model-version.entity.ts';
import type { Em } from '../orm.ts';
import type { ModelDeploymentAction, ModelVersionState, RolloutOutcome, ServiceName, UserRecord } from '../records.ts';

/*
 * The changes of what a service serves — which version is live, which rollout runs — each made under the lock of
 * the service's version rows, shared by the registry and the rollouts.
 */

/**
 * Every version row of a service, locked (in id order) and read as locked, in `tx`: how every change of what a
 * service serves (promote, rollback, a rollout's start or end) takes its turn. Two replicas changing one service at
 * once go one after the other, and the second sees what the first committed.
 */
export function lockedVersions(tx: Em, service: ServiceName): Promise<IModelVersion[]> {
  return tx.find(
    ModelVersion,
    { serviceVersion: service },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true },
  );
}

/** The service's running rollout (its candidate and baseline loaded), or null. */
export const runningOf = (em: Em, service: ServiceName) =>
  em.findOne(
    ModelRollout,
    { serviceVersion: service, endedAt: null },
    { populate: ['candidate', 'baseline'], refresh: true },
  );

/** How a running rollout is ended: by whom, when. */
export interface RolloutEnd {
  actor: Pick<UserRecord, 'username'> | null;
  at: Date;
}

/**
 * Ends the service's running rollout, if any, in `tx` (whose caller holds the service's lock, `versions`): its
 * candidate returns to `registered` unless it is being made live (`promoted`). The ended rollout, or null.
 */
export async function endRunningRollout(
  tx: Em,
  service: ServiceName,
  versions: readonly IModelVersion[],
  outcome: RolloutOutcome,
  end: RolloutEnd,
): Promise<IModelRollout | null> {
  const running = await runningOf(tx, service);
  if (!running) return null;
  running.endedAt = end.at;
  running.outcome = outcome;
  running.endedByUsername = end.actor?.username ?? null;
  const candidate = versions.find((v) => v.id === running.candidate.id);
  if (candidate && outcome !== 'promoted' && (candidate.state === 'canary' || candidate.state === 'shadow'))
    candidate.state = 'registered';
  return running;
}

/** Who made a version live, and when. */
export interface LiveChange {
  action: ModelDeploymentAction;
  actor: Pick<UserRecord, 'id' | 'username'> | null;
  at: Date;
}

/**
 * Makes version `nextId` of `service` live from `change.at`, in `tx`: the open deployment ends and its version
 * becomes `previousBecomes`. Every version row of the service is locked first, in id order, and read as locked: two
 * replicas changing the same service take turns, and the second sees what the first committed (a version already
 * live is left as it is). The version made live, or null if it is not one of the service's.
 */
export async function switchLive(
  tx: Em,
  service: ServiceName,
  nextId: number,
  previousBecomes: ModelVersionState,
  change: LiveChange,
): Promise<IModelVersion | null> {
  const versions = await lockedVersions(tx, service);
  const next = versions.find((v) => v.id === nextId);
  if (!next || next.state === 'live') return next ?? null;
  // A running rollout ends: with its candidate live, or replaced by another version (its candidate stopped).
  const running = await endRunningRollout(tx, service, versions, 'cancelled', change);
  if (running && running.candidate.id === nextId) running.outcome = 'promoted';
  const open = await tx.find(ModelDeployment, { serviceVersion: service, liveUntil: null }, { refresh: true });
  for (const deployment of open) {
    deployment.liveUntil = change.at;
    const was = versions.find((v) => v.id === deployment.modelVersion.id);
    if (was) was.state = previousBecomes;
  }
  next.state = 'live';
  next.failure = null;
  tx.create(ModelDeployment, {
    serviceVersion: service,
    modelVersion: next,
    action: change.action,
    actor: change.actor?.id ?? null,
    actorUsername: change.actor?.username ?? null,
    liveFrom: change.at,
  });
  return next;
}
