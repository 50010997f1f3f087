/** The contract every served model implements, and the model card it ships with. */
import type { ServiceVersion } from '@mlapi/schemas';
import type { z } from 'zod';
import type { DriftReference } from './drift/reference-bins.ts';

export type ModelTask = 'classification' | 'regression';

interface ModelCardData {
  /** Where the data comes from (npm package, citation). */
  source: string;
  source_version: string;
  /** Rows / messages available to training and evaluation. */
  rows: number;
  /** Row counts per group / class, when the data has them. */
  groups?: Record<string, number>;
  features: string[];
  target: string;
  notes?: string[];
}

interface ModelCardEvaluation {
  /** e.g. 'stratified hold-out 80/20' or 'shuffled 5-fold cross-validation'. */
  method: string;
  seed: number;
  test_fraction?: number;
  folds?: number;
  train_rows?: number;
  test_rows?: number;
  /** Per-fold metrics for cross-validation. */
  per_fold?: Record<string, number>[];
  /** Additional evaluations (e.g. train on one period, test on another). */
  extra?: Record<string, { description: string; metrics: Record<string, number> }>;
}

export interface ModelCard {
  name: string;
  version: string;
  service: ServiceVersion;
  task: ModelTask;
  algorithm: string;
  description: string;
  /** ISO-8601 timestamp of the training run. */
  trained_at: string;
  data: ModelCardData;
  evaluation: ModelCardEvaluation;
  /** Headline metrics from `evaluation` (F1, R², MAE, ...). */
  metrics: Record<string, number>;
  hyperparameters: Record<string, number | string | boolean | number[]>;
  /** What the shipped artifact was fitted on. */
  shipped_artifact: { trained_on: string; rows: number };
  output: string;
  limitations: string[];
  /** The training distribution served inputs and predictions are compared with (drift); absent on older cards. */
  reference?: DriftReference;
}

export interface Model<I, O> {
  /** e.g. 'spam-logreg' / 'boston-gbt' */
  readonly name: string;
  /** Semantic version of the model artifact, e.g. '1.0.0'. */
  readonly version: string;
  readonly service: ServiceVersion;
  readonly inputSchema: z.ZodType<I>;
  readonly outputSchema: z.ZodType<O>;
  readonly task: ModelTask;
  /** Schema of the true value reported as feedback: v1 the category label, v2 the price in dollars. */
  readonly targetSchema: z.ZodType<string | number>;
  /** Classification only: the class labels, and the one precision/recall/F1 are computed for. */
  readonly labels?: readonly string[];
  readonly positiveLabel?: string;
  /** Loads the artifact once; concurrent callers share one promise; a failed load can be retried. */
  load(): Promise<void>;
  isLoaded(): boolean;
  /** Validates `input` with `inputSchema` (throws ZodError) and predicts; loads lazily. */
  predict(input: I): Promise<O>;
  /** One output per input, same order. */
  predictBatch(inputs: I[]): Promise<O[]>;
  card(): Promise<ModelCard>;
  /**
   * The quantities drift is measured on for one input, when they are not simply its numeric fields (v1: the text's
   * word tokens and those outside the training vocabulary). Only on a loaded model; `output` is what it answered for
   * `input` (a model may have counted them while predicting it).
   */
  driftValues?(input: I, output: O): Record<string, number>;
  /** The value to log as "the prediction": v1 the category label, v2 the price. */
  predictedValue(output: O): number | string;
  /**
   * Releases what the model holds outside the JS heap (e.g. an ONNX runtime session). Optional: the built-in
   * models have nothing to release. After it resolves the model answers no more predictions.
   */
  dispose?(): Promise<void>;
}
