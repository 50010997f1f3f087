/** Public API of @mlapi/ml. */
export type { Model, ModelCard, ModelCardData, ModelCardEvaluation, ModelTask } from './model.ts';
export { getModel, models, warmUp } from './registry.ts';
export type { ModelRegistry } from './registry.ts';
export { createSpamModel } from './models/spam-model.ts';
export { createBostonModel } from './models/boston-model.ts';
export { classificationFromCounts, labelCounts, type ClassificationMetrics, type LabelCount } from './metrics/classification.ts';
export { regressionFromSums, regressionSums, type RegressionMetrics, type RegressionSums } from './metrics/regression.ts';

