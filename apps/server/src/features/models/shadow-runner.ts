import type { NewShadowPrediction, ShadowPredictionsRepository } from '@mlapi/db';
import type { Model } from '@mlapi/ml';
import type { ServiceVersion } from '@mlapi/schemas';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../core/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { ServedModels } from './served-models.ts';

/** A call the live model answered, for the shadow candidate: its inputs and their prediction ids, in order. */
interface ShadowJob {
  service: ServiceVersion;
  inputs: readonly unknown[];
  predictionIds: readonly number[];
}

export interface ShadowRunnerOptions {
  /** Calls waiting for the candidate or for their rows to be written; one more is dropped and counted. */
  maxQueued: number;
  /** Calls the candidates work on at once (an ONNX model's worker threads take them side by side). */
  concurrency: number;
}

type Deps = {
  models: ServedModels;
  shadowPredictions: ShadowPredictionsRepository;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
};

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/**
 * Shadow rollouts' work, off the reply path: after a call's reply is committed, its inputs queue here and the
 * service's shadow candidate predicts them on a later turn of the event loop (or in an ONNX model's worker threads);
 * the results are written in batches with their rollups. The reply never waits for it and never fails because of it.
 * Bounded: at most `maxQueued` calls wait (to run or to be written); another is dropped and counted in /metrics
 * (`mlapi_shadow_dropped_total`), as are rows a failed write loses. Never counted against quotas: it is no call.
 */
export class ShadowRunner {
  readonly #queue: ShadowJob[] = [];
  #running = 0;
  #scheduled = false;
  /** Rows waiting for the writer, and how many calls they are. */
  #unwritten: { rows: NewShadowPrediction[]; calls: number } = { rows: [], calls: 0 };
  #writing: Promise<void> | null = null;
  #idle: (() => void)[] = [];

  constructor(
    private readonly deps: Deps,
    private readonly options: ShadowRunnerOptions,
  ) {}

  /** Calls queued or being worked on or written. */
  get backlog(): number {
    return this.#queue.length + this.#running + this.#unwritten.calls;
  }

  /** Queues a call the live model answered, when a shadow rollout runs here for its service (else does nothing). */
  offer(service: ServiceVersion, inputs: readonly unknown[], predictionIds: readonly number[]): void {
    if (this.deps.models.candidate(service)?.mode !== 'shadow' || predictionIds.length === 0) return;
    if (this.backlog >= this.options.maxQueued) {
      this.deps.metrics.shadowDropped.inc({ service, reason: 'queue_full' }, predictionIds.length);
      return;
    }
    this.#queue.push({ service, inputs, predictionIds });
    // On a later turn: the reply that offered the call leaves first.
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  /** Resolves when every call queued so far has been predicted and written (or dropped). */
  drained(): Promise<void> {
    if (this.backlog === 0 && !this.#writing) return Promise.resolve();
    return new Promise((done) => this.#idle.push(done));
  }

  #pump(): void {
    while (this.#running < this.options.concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#running++;
      void this.#run(job)
        .catch((err: unknown) => this.deps.logger.warn({ err, service: job.service }, 'shadow prediction failed'))
        .finally(() => {
          this.#running--;
          this.#pump();
          this.#settle();
        });
    }
  }

  async #run(job: ShadowJob): Promise<void> {
    const rows = await this.deps.models.useShadow(job.service, async (model) => {
      const m = model as unknown as Model<unknown, unknown>;
      const started = performance.now();
      let outputs: unknown[] | null = null;
      let error: string | null = null;
      try {
        if (!m.isLoaded()) await m.load();
        outputs = job.inputs.length === 1 ? [await m.predict(job.inputs[0])] : await m.predictBatch([...job.inputs]);
      } catch (err) {
        error = message(err);
      }
      const duration = performance.now() - started;
      const createdAt = this.deps.now();
      return job.predictionIds.map((predictionId, i): NewShadowPrediction => {
        const output = outputs?.[i] as Record<string, unknown> | undefined;
        const predicted = output === undefined ? null : m.predictedValue(output);
        return {
          predictionId,
          serviceVersion: job.service,
          modelVersion: m.version,
          success: output !== undefined,
          error: output === undefined ? (error ?? 'no prediction') : null,
          duration,
          output: output ?? null,
          predictedValue: typeof predicted === 'number' ? predicted : null,
          predictedLabel: typeof predicted === 'string' ? predicted : null,
          createdAt,
        };
      });
    });
    // The rollout ended before the call's turn: nothing to try it on.
    if (!rows) return;
    const failed = rows.filter((r) => !r.success).length;
    const counted = this.deps.metrics.shadowPredictions;
    if (rows.length > failed) counted.inc({ service: job.service, outcome: 'success' }, rows.length - failed);
    if (failed > 0) counted.inc({ service: job.service, outcome: 'failure' }, failed);
    this.#unwritten.rows.push(...rows);
    this.#unwritten.calls++;
    this.#writing ??= this.#write();
  }

  /** Writes every row waiting, batch after batch, until none is left. */
  async #write(): Promise<void> {
    try {
      while (this.#unwritten.rows.length > 0) {
        const { rows, calls } = this.#unwritten;
        this.#unwritten = { rows: [], calls: 0 };
        try {
          await this.deps.shadowPredictions.insertBatch(rows);
        } catch (err) {
          this.deps.logger.warn({ err, rows: rows.length, calls }, 'shadow predictions could not be written');
          for (const r of rows)
            this.deps.metrics.shadowDropped.inc({ service: r.serviceVersion, reason: 'write_failed' });
        }
      }
    } finally {
      this.#writing = null;
      this.#settle();
    }
  }

  #settle(): void {
    if (this.backlog === 0 && !this.#writing) for (const done of this.#idle.splice(0)) done();
  }
}
