/** Public API of @mlapi/ml. */
export { serviceVersions } from './model.ts';
export type { Model, ModelCard, ModelCardData, ModelCardEvaluation, ModelTask, ServiceVersion } from './model.ts';
export { v1InputSchema, v1Labels, v1OutputSchema, v1TargetSchema } from './schemas/v1.ts';
export type { V1Input, V1Output } from './schemas/v1.ts';
export { v2FeatureNames, v2FeatureRanges, v2InputSchema, v2OutputSchema, v2TargetSchema } from './schemas/v2.ts';
export type { V2Input, V2Output } from './schemas/v2.ts';
export { getModel, models, warmUp } from './registry.ts';
export type { ModelRegistry } from './registry.ts';
export { createSpamModel } from './models/spam-model.ts';
export { createBostonModel } from './models/boston-model.ts';
