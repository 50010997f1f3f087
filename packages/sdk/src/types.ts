/**
 * The wire types: what the server accepts and answers, inferred from the shared zod schemas (@mlapi/schemas) and
 * from the router itself. Type-only: nothing here exists at run time.
 */
import type { AppRouter } from '@mlapi/server';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type {
  ChangePasswordInput,
  CompareOutput,
  CompareQuery,
  EvaluationReport,
  DriftOutput,
  DriftQuery,
  FieldIssue,
  MetricsOutput,
  MetricsQuery,
  ModelPromotionOutput,
  ModelRegisterInput,
  ModelReloadOutput,
  ModelVersionDto,
  ModelVersionsOutput,
  OwnUsageQuery,
  Page,
  PageQuery,
  RegisterInput,
  RetrainInput,
  RetrainJobDto,
  Role,
  RolloutOutput,
  ServedModelDto,
  ServiceCallDto,
  ServiceModelDto,
  ServiceVersion,
  TokenInput,
  TokenOutput,
  UpdateRightsInput,
  UsageOutput,
  UsageQuery,
  UserDto,
  V1Input,
  V1Output,
  V2Input,
  V2Output,
} from '@mlapi/schemas';
export type { AppRouter };

/** Every procedure's input, e.g. `RouterInputs['admin']['update']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output, e.g. `RouterOutputs['ml']['v1']['predict']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** A v1 prediction: the category, P(spam), `prediction_id` and `model_version`. */
export type V1Prediction = RouterOutputs['ml']['v1']['predict'];
/** A v2 prediction: the price, `prediction_id` and `model_version`. */
export type V2Prediction = RouterOutputs['ml']['v2']['predict'];
export type FeedbackOutput = RouterOutputs['ml']['v1']['feedback'];
export type HealthOutput = RouterOutputs['health']['check'];
