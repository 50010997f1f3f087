import type { Database } from '../orm.ts';
import { classifyingErrors } from '../errors.ts';
import { apiKeysRepository } from './api-keys.ts';
import { auditLogRepository } from './audit-log.ts';
import { authReadsRepository } from './auth-reads.ts';
import { callLogRepository } from './call-log.ts';
import { repositoryContext } from './context.ts';
import { driftRepository } from './drift.ts';
import { healthRepository } from './health.ts';
import { labelledExamplesRepository } from './labelled-examples.ts';
import { modelRegistryRepository } from './model-registry.ts';
import { modelRolloutsRepository } from './model-rollouts.ts';
import { predictionsRepository } from './predictions.ts';
import { quotaLeasesRepository } from './quota-leases.ts';
import { rateLimitsRepository } from './rate-limits.ts';
import { retrainJobsRepository } from './retrain-jobs.ts';
import { shadowPredictionsRepository } from './shadow-predictions.ts';
import { usageRepository } from './usage.ts';
import { usersRepository } from './users.ts';

/**
 * Everything the server does with data, by table family. Each call fails only with the caller's own error or one
 * of this package's (DatabaseUnavailableError, DatabaseInputError, DuplicateKeyError).
 */
export function createRepositories(db: Database) {
  const context = repositoryContext(db);
  const users = classifyingErrors(usersRepository(context));
  const apiKeys = classifyingErrors(apiKeysRepository(context));
  return {
    users,
    apiKeys,
    /** What authorization reads on every request, from a cache the change feed keeps correct. */
    auth: authReadsRepository(db.changes, users, apiKeys),
    auditLog: classifyingErrors(auditLogRepository(context)),
    rateLimits: classifyingErrors(rateLimitsRepository(context)),
    quotaLeases: classifyingErrors(quotaLeasesRepository(context)),
    callLog: classifyingErrors(callLogRepository(context)),
    predictions: classifyingErrors(predictionsRepository(context)),
    shadowPredictions: classifyingErrors(shadowPredictionsRepository(context)),
    labelledExamples: classifyingErrors(labelledExamplesRepository(context)),
    usage: classifyingErrors(usageRepository(context)),
    drift: classifyingErrors(driftRepository(context)),
    health: classifyingErrors(healthRepository(context)),
    modelRegistry: classifyingErrors(modelRegistryRepository(context)),
    modelRollouts: classifyingErrors(modelRolloutsRepository(context)),
    retrainJobs: classifyingErrors(retrainJobsRepository(context)),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

export type { AuditTarget, UserChanges } from './audit-log.ts';
export type { AuthReadsRepository, AuthReadStats } from './auth-reads.ts';
export type { CallLogRepository, LoggedCall } from './call-log.ts';
export type { ExampleRow } from './labelled-examples.ts';
export type { PredictionForFeedback, PredictionsRepository, QualityFilter } from './predictions.ts';
export type { LeaseGrant, QuotaLeasesRepository } from './quota-leases.ts';
export { ModelFilesCorruptError, modelContentSha256 } from './model-registry.ts';
export { RolloutConflictError } from './model-rollouts.ts';
export type { RateLimitsRepository } from './rate-limits.ts';
export { RetrainConflictError, type RetrainJobRecord } from './retrain-jobs.ts';
export type { NewShadowPrediction, ShadowPredictionsRepository } from './shadow-predictions.ts';
export type { CallFilter, UsageRepository } from './usage.ts';
export type { UsersRepository } from './users.ts';
