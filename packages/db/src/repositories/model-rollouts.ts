import { AuditLog } from '../entities/audit-log.entity.ts';
import { ModelRollout, type IModelRollout } from '../entities/model-rollout.entity.ts';
import { ModelVersion } from '../entities/model-version.entity.ts';
import type { NewRollout, RolloutRecord, ServiceName } from '../records.ts';
import type { RepositoryContext } from './context.ts';
import { endRunningRollout, lockedVersions, runningOf, switchLive, type RolloutEnd } from './model-serving-changes.ts';

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
    decision: r.decision ?? null,
  });

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

    /**
     * The guard's verdict on rollout `rolloutId`, if it is still the running one: `auto_rolled_back` stops it (its
     * candidate returns to `registered`), `auto_promoted` makes its candidate live. The decision (figures, reasons)
     * is kept on the rollout, and an audit row by `guard` is written in the same transaction. Null when the rollout
     * ended meanwhile (another replica's guard, or an admin, got there first): exactly one verdict ends a rollout.
     */
    async decide(
      rolloutId: number,
      outcome: 'auto_rolled_back' | 'auto_promoted',
      decision: Record<string, unknown>,
      guard: { username: string; at: Date },
    ): Promise<RolloutRecord | null> {
      return db.fork().transactional(async (tx) => {
        const { serviceVersion: service } = (await tx.findOne(ModelRollout, { id: rolloutId })) ?? {};
        if (!service) return null;
        const versions = await lockedVersions(tx, service);
        const running = await runningOf(tx, service);
        if (running?.id !== rolloutId) return null;
        const end = { actor: { username: guard.username }, at: guard.at };
        if (outcome === 'auto_rolled_back') await endRunningRollout(tx, service, versions, outcome, end);
        else {
          await switchLive(tx, service, running.candidate.id, 'retired', {
            action: 'promote',
            actor: null,
            at: guard.at,
          });
          running.endedByUsername = guard.username;
        }
        running.outcome = outcome;
        running.decision = decision;
        tx.create(AuditLog, {
          actor: null,
          actorUsername: guard.username,
          action: `models.rollout.${outcome}`,
          details: { service, candidate: running.candidate.version, baseline: running.baseline.version, ...decision },
          createdAt: guard.at,
        });
        await tx.flush();
        return rolloutRecord(running);
      });
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
