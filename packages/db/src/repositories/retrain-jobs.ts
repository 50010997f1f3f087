import { ModelVersion } from '../entities/model-version.entity.ts';
import { RetrainJob, type IRetrainJob, type RetrainJobStateName } from '../entities/retrain-job.entity.ts';
import { classifyDatabaseError, DuplicateKeyError } from '../errors.ts';
import type { ServiceName, UserRecord } from '../records.ts';
import type { RepositoryContext } from './context.ts';

export interface RetrainJobRecord {
  readonly id: number;
  readonly service: ServiceName;
  readonly state: RetrainJobStateName;
  readonly phase: string;
  readonly progressDone: number;
  readonly progressTotal: number;
  readonly version: string;
  readonly autoShadow: boolean;
  readonly trainExamples: number;
  readonly requestedByUsername: string | null;
  readonly startedAt: Date;
  readonly heartbeatAt: Date;
  readonly finishedAt: Date | null;
  readonly error: string | null;
  readonly evaluation: Record<string, unknown> | null;
  readonly shadowStarted: boolean;
}

/** A retraining that cannot start: one of the service is running (the message names it). */
export class RetrainConflictError extends Error {
  override readonly name = 'RetrainConflictError';
}

const jobRecord = (j: IRetrainJob): RetrainJobRecord =>
  Object.freeze({
    id: j.id,
    service: j.serviceVersion,
    state: j.state,
    phase: j.phase,
    progressDone: j.progressDone,
    progressTotal: j.progressTotal,
    version: j.version,
    autoShadow: j.autoShadow,
    trainExamples: j.trainExamples,
    requestedByUsername: j.requestedByUsername ?? null,
    startedAt: j.startedAt,
    heartbeatAt: j.heartbeatAt,
    finishedAt: j.finishedAt ?? null,
    error: j.error ?? null,
    evaluation: j.evaluation ?? null,
    shadowStarted: j.shadowStarted,
  });

/** What a running job reports: its phase and progress (which also moves its heartbeat). */
interface JobProgress {
  phase: string;
  done: number;
  total: number;
  trainExamples?: number;
}

/** How a job ended. */
interface JobEnd {
  state: 'succeeded' | 'failed';
  error?: string | null;
  evaluation?: Record<string, unknown> | null;
  modelVersionId?: number | null;
  shadowStarted?: boolean;
}

/** Retraining jobs: at most one running per service (a partial unique index), their progress and outcome. */
export function retrainJobsRepository({ db }: RepositoryContext) {
  const update = async (id: number, fields: Partial<IRetrainJob>, modelVersionId?: number | null) => {
    const em = db.fork();
    const modelVersion = modelVersionId == null ? {} : { modelVersion: em.getReference(ModelVersion, modelVersionId) };
    await em.nativeUpdate(RetrainJob, { id, state: 'running' }, { ...fields, ...modelVersion });
  };
  return {
    /** Records a running job; a RetrainConflictError when one of the service is running already. */
    async start(input: {
      service: ServiceName;
      version: string;
      autoShadow: boolean;
      actor: Pick<UserRecord, 'id' | 'username'> | null;
      at: Date;
    }): Promise<RetrainJobRecord> {
      const em = db.fork();
      const job = em.create(RetrainJob, {
        serviceVersion: input.service,
        state: 'running',
        phase: 'starting',
        version: input.version,
        autoShadow: input.autoShadow,
        requestedBy: input.actor?.id ?? null,
        requestedByUsername: input.actor?.username ?? null,
        startedAt: input.at,
        heartbeatAt: input.at,
      });
      try {
        await em.flush();
      } catch (err) {
        if (!(classifyDatabaseError(err) instanceof DuplicateKeyError)) throw err;
        const running = await em.fork().findOne(RetrainJob, { serviceVersion: input.service, state: 'running' });
        throw new RetrainConflictError(
          `${input.service} is being retrained already (job ${running?.id ?? '?'}, ${running?.phase ?? 'running'}); wait for it to end`,
        );
      }
      return jobRecord(job);
    },

    /** A running job's phase and progress, and its heartbeat now. */
    progress: (id: number, p: JobProgress, at: Date) =>
      update(id, {
        phase: p.phase,
        progressDone: p.done,
        progressTotal: p.total,
        heartbeatAt: at,
        ...(p.trainExamples === undefined ? {} : { trainExamples: p.trainExamples }),
      }),

    /** Ends a running job (a job already ended stays as it is). */
    finish: (id: number, end: JobEnd, at: Date) =>
      update(
        id,
        {
          state: end.state,
          phase: end.state === 'succeeded' ? 'done' : 'failed',
          finishedAt: at,
          heartbeatAt: at,
          error: end.error ?? null,
          evaluation: end.evaluation ?? null,
          shadowStarted: end.shadowStarted ?? false,
        },
        end.modelVersionId,
      ),

    /**
     * Marks failed the running jobs whose heartbeat is older than `staleBefore` (all of them with none given): the
     * server that ran them is gone. Returns how many.
     */
    async failAbandoned(at: Date, staleBefore?: Date): Promise<number> {
      return db.fork().nativeUpdate(
        RetrainJob,
        { state: 'running', ...(staleBefore ? { heartbeatAt: { $lt: staleBefore } } : {}) },
        {
          state: 'failed',
          phase: 'failed',
          finishedAt: at,
          error: 'the server running it stopped before it ended; nothing was registered',
        },
      );
    },

    async get(service: ServiceName, id: number): Promise<RetrainJobRecord | null> {
      const row = await db.fork().findOne(RetrainJob, { id, serviceVersion: service });
      return row ? jobRecord(row) : null;
    },

    /** The service's latest jobs, newest first. */
    async latest(service: ServiceName, limit: number): Promise<RetrainJobRecord[]> {
      const rows = await db.fork().find(RetrainJob, { serviceVersion: service }, { orderBy: { id: 'desc' }, limit });
      return rows.map(jobRecord);
    },
  };
}
