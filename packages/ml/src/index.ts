/** Public API of @mlapi/ml. */
export type { Model, ModelCard } from './model.ts';
export { builtInArtifacts, createBuiltInModel, getModel, models, warmUp } from './registry.ts';
export type { ModelRegistry } from './registry.ts';
export { classificationFromCounts, type LabelCount } from './metrics/classification.ts';
export { regressionFromSums } from './metrics/regression.ts';
export { missingBaseData } from './retraining/base-data.ts';
export { retrainChildPath } from './retraining/child-path.ts';
export type { LabelledInput, RetrainMessage, RetrainResults, RetrainSpec } from './retraining/retrain-spec.ts';
export { evaluateClassifier, evaluateRegressor } from './evaluation/model-evaluation.ts';
export { gateDecision } from './evaluation/gate.ts';
export { modelAnswers } from './evaluation/model-answers.ts';
export { defaultBootstrap } from './evaluation/bootstrap.ts';
export { liveHoldoutBaseline } from './evaluation/live-baseline.ts';
export { binOf, type DriftReference, type ReferenceBins } from './drift/reference-bins.ts';
