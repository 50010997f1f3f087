import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';
import { ModelVersion } from './model-version.entity.ts';
import { User } from './user.entity.ts';

export type RetrainJobStateName = 'running' | 'succeeded' | 'failed';

/**
 * A retraining of a service's built-in model: trained in a child process on the base data set and the labelled
 * examples flagged for training, evaluated against the live version, registered as `version`. At most one job of a
 * service runs at a time (a partial unique index). `heartbeatAt` moves while the job
 * runs: a running job whose heartbeat stopped belongs to a server that is gone, and is marked failed.
 */
export const RetrainJob = defineEntity({
  name: 'RetrainJob',
  tableName: 'retrain_jobs',
  properties: {
    id: p.integer().primary().autoincrement(),
    serviceVersion: p.enum([...serviceVersions]),
    // A string column, not an enum (see ModelVersion.state).
    state: p.string().length(16).$type<RetrainJobStateName>(),
    phase: p.string().length(32),
    progressDone: p.integer().default(0),
    progressTotal: p.integer().default(0),
    version: p.string().length(64),
    autoShadow: p.boolean().default(false),
    trainExamples: p.integer().default(0),
    requestedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    requestedByUsername: p.string().length(254).nullable(),
    startedAt: p.datetime(),
    heartbeatAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    error: p.text().nullable(),
    evaluation: p.json<Record<string, unknown>>().nullable(),
    modelVersion: () => p.manyToOne(ModelVersion).nullable().deleteRule('set null'),
    shadowStarted: p.boolean().default(false),
  },
  // The service's jobs, newest first.
  indexes: [{ properties: ['serviceVersion', 'id'] }],
  // One running job per service: a partial unique index (the same SQL in both dialects).
  uniques: [
    {
      name: 'retrain_jobs_one_running',
      expression:
        "create unique index retrain_jobs_one_running on retrain_jobs (service_version) where state = 'running'",
    },
  ],
});

export type IRetrainJob = InferEntity<typeof RetrainJob>;
