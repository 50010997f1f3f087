/**
 * Retraining jobs of this server: each exports its examples, trains in a child process at lower priority, is
 * evaluated against the live version, and registers the result as a new version (a shadow rollout of it too, when
 * asked and the gate passed). Progress and outcome are in retrain_jobs; nothing half-made is ever registered.
 */
import { RetrainConflictError, type RetrainJobRecord } from '@mlapi/db';
import { missingBaseData, type RetrainResults, type RetrainSpec } from '@mlapi/ml';
import { rolloutGuardSchema, type RetrainInput, type RetrainJobDto, type ServiceVersion } from '@mlapi/schemas';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppDeps } from '../../core/deps.ts';
import { conflict } from '../../core/errors.ts';
import { registerDirectory } from '../models/model-registration.ts';
import { startRollout } from '../models/model-rollout.ts';
import { nextMinorVersion } from './next-version.ts';
import { retrainJobDto } from './retrain-dto.ts';
import { evaluationReport } from './retrain-evaluation.ts';
import { writeRecentExamples, writeTrainExamples } from './retrain-files.ts';
import { runRetrainChild, type RetrainChild } from './retrain-process.ts';

type Actor = { id: number; username: string };

/** How often a running job's heartbeat is written; a job silent for `staleAfterMs` belongs to a server gone. */
const heartbeatMs = 2000;
const staleAfterMs = 15_000;

export class Retrainer {
  readonly #children = new Map<number, RetrainChild>();
  readonly #runs = new Set<Promise<void>>();
  #stopping = false;

  /** `deps` is read when a job needs it: the server's dependencies include this object. */
  constructor(private readonly lazyDeps: () => AppDeps) {}

  private get deps(): AppDeps {
    return this.lazyDeps();
  }

  /**
   * Marks failed the jobs a stopped server left running: on SQLite (one process) every running one; on PostgreSQL
   * those whose heartbeat stopped (another replica's may be running).
   */
  async recover(): Promise<void> {
    const now = this.deps.now();
    const stale = this.deps.db.target.dialect === 'sqlite' ? undefined : new Date(now.getTime() - staleAfterMs);
    const failed = await this.deps.data.retrainJobs.failAbandoned(now, stale);
    if (failed > 0) this.deps.logger.warn({ failed }, 'retraining jobs left running by a stopped server marked failed');
  }

  /** Starts a job (409 when the base data is missing, the version exists or a job of the service runs). */
  async start(service: ServiceVersion, input: Omit<RetrainInput, 'service'>, actor: Actor): Promise<RetrainJobDto> {
    const missing = missingBaseData(service);
    if (missing) throw conflict(`${service} cannot be retrained on this server: ${missing}`);
    const { data, now } = this.deps;
    await data.retrainJobs.failAbandoned(now(), new Date(now().getTime() - staleAfterMs));
    const registered = (await data.modelRegistry.versions(service)).map((v) => v.version);
    const version = input.version ?? nextMinorVersion([...registered, this.deps.models.current(service).version]);
    if (registered.includes(version))
      throw conflict(`${service} already has a version ${version}; give the retrained model a version of its own`);
    let job: RetrainJobRecord;
    try {
      job = await data.retrainJobs.start({ service, version, autoShadow: input.auto_shadow, actor, at: now() });
    } catch (err) {
      throw err instanceof RetrainConflictError ? conflict(err.message) : err;
    }
    const run = this.#run(job, actor).finally(() => this.#runs.delete(run));
    this.#runs.add(run);
    return retrainJobDto(job);
  }

  /** Stops the jobs running here (their children killed, the jobs failed): the server is stopping. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const child of this.#children.values()) child.kill();
    await Promise.allSettled(this.#runs);
  }

  async #run(job: RetrainJobRecord, actor: Actor): Promise<void> {
    const { data, logger, now } = this.deps;
    const dir = join(this.deps.dataDir, 'retrain', `job-${job.id}-${process.pid}`);
    let last = { phase: 'exporting', done: 0, total: 0 };
    const report = (p: typeof last & { trainExamples?: number }) => {
      last = { phase: p.phase, done: p.done, total: p.total };
      return data.retrainJobs.progress(job.id, p, now());
    };
    const heartbeat = setInterval(() => void report(last).catch(() => undefined), heartbeatMs).unref();
    try {
      await mkdir(dir, { recursive: true });
      await report(last);
      const spec: RetrainSpec = {
        service: job.service,
        version: job.version,
        trainedAt: now().toISOString(),
        trainFile: join(dir, 'train.jsonl'),
        recentFile: join(dir, 'recent.jsonl'),
        modelDir: join(dir, 'model'),
        resultsFile: join(dir, 'results.json'),
      };
      const trainExamples = await writeTrainExamples(this.deps, job.service, spec.trainFile);
      const recent = await writeRecentExamples(
        this.deps,
        job.service,
        spec.recentFile,
        this.deps.env.RETRAIN_EVAL_EXAMPLES,
      );
      await report({ phase: 'loading', done: 0, total: 0, trainExamples });
      await writeFile(join(dir, 'spec.json'), JSON.stringify(spec));
      if (this.#stopping) throw new Error('the server stopped before it ended; nothing was registered');
      const child = runRetrainChild(
        join(dir, 'spec.json'),
        this.deps.env.RETRAIN_NICE,
        (p) => void report(p).catch(() => undefined),
      );
      this.#children.set(job.id, child);
      await child.done
        .finally(() => this.#children.delete(job.id))
        .catch((err: Error) => {
          throw this.#stopping ? new Error('the server stopped before it ended; nothing was registered') : err;
        });
      await report({ phase: 'evaluating', done: 0, total: 0 });
      const results = JSON.parse(await readFile(spec.resultsFile, 'utf8')) as RetrainResults;
      const evaluation = await evaluationReport(job.service, this.deps.models.current(job.service), recent, results);
      await report({ phase: 'registering', done: 0, total: 0 });
      await registerDirectory(this.deps, job.service, spec.modelDir, actor, `retraining job ${job.id}`, evaluation);
      const registered = await data.modelRegistry.version(job.service, job.version);
      const shadowStarted = job.autoShadow && evaluation.gate.passed && (await this.#shadow(job, actor));
      clearInterval(heartbeat);
      await data.retrainJobs.finish(
        job.id,
        { state: 'succeeded', evaluation, modelVersionId: registered?.id ?? null, shadowStarted },
        now(),
      );
      logger.info({ job: job.id, service: job.service, version: job.version, gate: evaluation.gate }, 'retrained');
    } catch (err) {
      clearInterval(heartbeat);
      const error = err instanceof Error ? err.message : String(err);
      logger.warn({ err, job: job.id, service: job.service }, 'retraining failed');
      await data.retrainJobs.finish(job.id, { state: 'failed', error }, now()).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Starts a shadow rollout of the job's version; false (logged) when one cannot start now. */
  async #shadow(job: RetrainJobRecord, actor: Actor): Promise<boolean> {
    try {
      const request = {
        version: job.version,
        mode: 'shadow' as const,
        guard: rolloutGuardSchema.parse({}),
        auto_promote: false,
      };
      await startRollout(this.deps, job.service, request, actor);
      return true;
    } catch (err) {
      this.deps.logger.warn({ err, job: job.id }, 'the evaluation gate passed but no shadow rollout could start');
      return false;
    }
  }
}
