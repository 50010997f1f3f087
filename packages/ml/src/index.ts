/** Public API of @mlapi/ml. */
export type { Model, ModelCard } from './model.ts';
export { builtInArtifacts, createBuiltInModel, getModel, models, warmUp } from './registry.ts';
export type { ModelRegistry } from './registry.ts';
export { classificationFromCounts, type LabelCount } from './metrics/classification.ts';
export { regressionFromSums } from './metrics/regression.ts';
export { binOf, type DriftReference, type ReferenceBins } from './drift/reference-bins.ts';
