import { ModelRollout, type IModelRollout } from '../entities/model-rollout.entity.ts';
import { ModelVersion, type IModelVersion } from '../entities/model-version.entity.ts';
import type { Em } from '../orm.ts';
import type { NewRollout, RolloutOutcome, RolloutRecord, ServiceName, UserRecord } from '../records.ts';
import type { RepositoryContext } from './context.ts';
import { lockedVersions } from './model-service-lock.ts';

/** A rollout that cannot start: one is running, or the candidate is not a registered version (the reason says). */
export class RolloutConflictError extends Error {
  override readonly name = 'RolloutConflictError';
}

const rolloutRecord = (r: IModelRollout): RolloutRecord =>
  Object.freeze({
    id: r.id,
    service: r.serviceVersion,
    candidateId: Number(r.candidate.id),
    candidateVersion: r.candidate.version,
    baselineId: Number(r.baseline.id),
    baselineVersion: r.baseline.version,
    mode: r.mode,
    percent: r.percent ?? null,
    guard: r.guard,
    autoPromote: r.autoPromote,
    startedByUsername: r.startedByUsername ?? null,
    startedAt: r.startedAt,
    endedAt: r.endedAt ?? null,
    outcome: r.outcome ?? null,
    endedByUsername: r.endedByUsername ?? null,
  });

const runningOf = (em: Em, service: ServiceName) =>
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
  if (candidate && outcome !== 'promoted' && candidate.state === 'canary') candidate.state = 'registered';
  return running;
}

/** Rollouts: a registered version tried beside the live one, one running per service at a time. */
export function modelRolloutsRepository({ db }: RepositoryContext) {
  return {
    /**
     * Starts a rollout of a registered (or retired) version beside its service's live one; the candidate's state
     * becomes the rollout's mode. A RolloutConflictError when one is running or the candidate cannot be tried.
     */
    async start(input: NewRollout): Promise<RolloutRecord> {
      return db.fork().transactional(async (tx) => {
        const { serviceVersion: service } = await tx.findOneOrFail(ModelVersion, { id: input.candidateId });
        const versions = await lockedVersions(tx, service);
        const running = await runningOf(tx, service);
        if (running)
          throw new RolloutConflictError(
            `${service} already has a rollout running (${running.candidate.version}, ${running.mode}); promote or roll it back first`,
          );
        const candidate = versions.find((v) => v.id === input.candidateId)!;
        if (candidate.state !== 'registered' && candidate.state !== 'retired')
          throw new RolloutConflictError(
            `${service} ${candidate.version} is ${candidate.state}: only a registered or retired version can be rolled out`,
          );
        const live = versions.find((v) => v.state === 'live');
        if (!live) throw new RolloutConflictError(`${service} has no live version to roll out beside`);
        candidate.state = input.mode;
        candidate.failure = null;
        const rollout = tx.create(ModelRollout, {
          serviceVersion: service,
          candidate,
          baseline: live,
          mode: input.mode,
          percent: input.percent,
          guard: input.guard,
          autoPromote: input.autoPromote,
          startedBy: input.actor?.id ?? null,
          startedByUsername: input.actor?.username ?? null,
          startedAt: input.at,
        });
        await tx.flush();
        return rolloutRecord(rollout);
      });
    },

    /** The service's running rollout, or null. */
    async running(service: ServiceName): Promise<RolloutRecord | null> {
      const row = await runningOf(db.fork(), service);
      return row ? rolloutRecord(row) : null;
    },

    /** The service's rollouts, newest first (the running one, if any, first). */
    async list(service: ServiceName, limit = 20): Promise<RolloutRecord[]> {
      const rows = await db
        .fork()
        .find(
          ModelRollout,
          { serviceVersion: service },
          { orderBy: { id: 'desc' }, limit, populate: ['candidate', 'baseline'] },
        );
      return rows.map(rolloutRecord);
    },

    /** Stops the service's running rollout: its candidate returns to `registered`. The stopped rollout, or null. */
    async stop(service: ServiceName, end: RolloutEnd): Promise<RolloutRecord | null> {
      return db.fork().transactional(async (tx) => {
        const versions = await lockedVersions(tx, service);
        const ended = await endRunningRollout(tx, service, versions, 'rolled_back', end);
        await tx.flush();
        return ended ? rolloutRecord(ended) : null;
      });
    },
  };
}
