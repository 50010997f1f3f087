import type { RetrainJobRecord } from '@mlapi/db';
import type { EvaluationReport, RetrainJobDto } from '@mlapi/schemas';

/** A retraining job as the API shows it. */
export function retrainJobDto(j: RetrainJobRecord): RetrainJobDto {
  return {
    id: j.id,
    service: j.service,
    state: j.state,
    phase: j.phase,
    progress: { done: j.progressDone, total: j.progressTotal },
    version: j.version,
    auto_shadow: j.autoShadow,
    train_examples: j.trainExamples,
    requested_by: j.requestedByUsername,
    started_at: j.startedAt.toISOString(),
    finished_at: j.finishedAt?.toISOString() ?? null,
    error: j.error,
    evaluation: (j.evaluation as EvaluationReport | null) ?? null,
    shadow_started: j.shadowStarted,
  };
}
