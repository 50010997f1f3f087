import type { DriftCount, NewCall, UserRecord } from '@mlapi/db';
import type { ServiceVersion } from '@mlapi/schemas';
import { performance } from 'node:perf_hooks';
import type { CallLogWriter } from './call-log-writer.ts';

export interface LoggedPrediction {
  modelName: string;
  modelVersion: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  predicted: number | string;
}

/**
 * Writes one service call — and, on success, its predictions — in a single transaction (shared with other calls
 * by the group-committing CallLogWriter), resolving only once committed. `recorded` turns true only once a row
 * is committed: if the success write fails (say a row the database refuses), the call is not yet recorded and its
 * failure row can still be written.
 */
export class ServiceCallRecorder {
  readonly requestTime: Date;
  private readonly started = performance.now();
  recorded = false;
  /** How many predictions the successful call committed. */
  predictionCount = 0;
  /** The version chosen to answer (a canary's candidate, say), once known: what a failure records. */
  private answering: string | undefined;

  constructor(
    private readonly writer: CallLogWriter,
    private readonly version: ServiceVersion,
    private readonly owner: UserRecord,
    private readonly now: () => Date,
    /** The version serving now: what a call refused before a model was chosen records. */
    private readonly servingVersion: () => string,
  ) {
    this.requestTime = now();
  }

  /** Commits the call and its predictions (and what they add to the drift rollups); returns the prediction ids in input order. */
  async recordSuccess(predictions: LoggedPrediction[], drift?: DriftCount[]): Promise<number[]> {
    const ids = await this.writer.write(
      this.row(true, null, predictions[0]?.modelVersion ?? this.servingVersion()),
      predictions.map((p) => ({
        serviceVersion: this.version,
        modelName: p.modelName,
        modelVersion: p.modelVersion,
        input: p.input,
        output: p.output,
        predictedValue: typeof p.predicted === 'number' ? p.predicted : null,
        predictedLabel: typeof p.predicted === 'string' ? p.predicted : null,
        createdAt: this.requestTime,
      })),
      drift,
    );
    this.recorded = true;
    this.predictionCount = predictions.length;
    return ids;
  }

  /** Notes which version answers the call, before it runs. */
  answeredBy(version: string): void {
    this.answering = version;
  }

  /** Commits the failed call with its error (rejects if the write fails: the caller decides what that means). */
  async recordFailure(error: string): Promise<void> {
    await this.writer.write(this.row(false, error.slice(0, 2000), this.answering ?? this.servingVersion()), []);
    this.recorded = true;
  }

  private row(success: boolean, error: string | null, modelVersion: string): NewCall {
    return {
      serviceVersion: this.version,
      success,
      error,
      owner: this.owner.id,
      requestTime: this.requestTime,
      completionTime: this.now(),
      duration: performance.now() - this.started,
      modelVersion,
    };
  }
}
