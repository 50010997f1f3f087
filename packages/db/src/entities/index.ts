import { ApiKey } from './api-key.entity.ts';
import { AuditLog } from './audit-log.entity.ts';
import { CallRollup, ShadowRollup } from './call-rollup.entity.ts';
import { DriftRollup } from './drift-rollup.entity.ts';
import { LabelledExample } from './labelled-example.entity.ts';
import { ModelDeployment } from './model-deployment.entity.ts';
import { ModelFile } from './model-file.entity.ts';
import { ModelRollout } from './model-rollout.entity.ts';
import { ModelVersion } from './model-version.entity.ts';
import { PredictionLog } from './prediction-log.entity.ts';
import { ConfusionRollup, RegressionRollup } from './quality-rollup.entity.ts';
import { RateLimitCounter } from './rate-limit-counter.entity.ts';
import { RetrainJob } from './retrain-job.entity.ts';
import { ServiceCall } from './service-call.entity.ts';
import { ShadowPrediction } from './shadow-prediction.entity.ts';
import { User } from './user.entity.ts';
import { UserDayRollup, UserRollup } from './user-rollup.entity.ts';

export * from './api-key.entity.ts';
export * from './audit-log.entity.ts';
export * from './call-rollup.entity.ts';
export * from './drift-rollup.entity.ts';
export * from './labelled-example.entity.ts';
export * from './model-deployment.entity.ts';
export * from './model-file.entity.ts';
export * from './model-rollout.entity.ts';
export * from './model-version.entity.ts';
export * from './prediction-log.entity.ts';
export * from './quality-rollup.entity.ts';
export * from './rate-limit-counter.entity.ts';
export * from './retrain-job.entity.ts';
export * from './service-call.entity.ts';
export * from './shadow-prediction.entity.ts';
export * from './user.entity.ts';
export * from './user-rollup.entity.ts';

/** Every entity the ORM knows; migrations are generated from exactly this list. */
export const entities = [
  User,
  ServiceCall,
  PredictionLog,
  AuditLog,
  ApiKey,
  RateLimitCounter,
  CallRollup,
  UserRollup,
  UserDayRollup,
  ConfusionRollup,
  RegressionRollup,
  LabelledExample,
  ModelFile,
  ModelVersion,
  ModelDeployment,
  ModelRollout,
  ShadowPrediction,
  ShadowRollup,
  RetrainJob,
  DriftRollup,
];
