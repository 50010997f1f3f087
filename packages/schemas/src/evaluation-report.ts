import { z } from 'zod';

/** A value measured on a sample, with its bootstrap 95 % interval. */
const estimate = z.object({
  value: z.number().nullable().describe('On the whole sample; null when it is not defined there (e.g. no positives).'),
  low: z.number().nullable().describe('2.5th percentile of the bootstrap resamples.'),
  high: z.number().nullable().describe('97.5th percentile of the bootstrap resamples.'),
});

/** One model's figures on one evaluation set. */
const evaluatedMetrics = z.object({
  n: z.number().int(),
  f1: estimate.optional().describe('Classifier: F1 of the positive label.'),
  accuracy: estimate.optional(),
  confusion: z
    .object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) })
    .optional()
    .describe('Classifier: rows are the true labels, columns the predicted ones.'),
  mae: estimate.optional().describe('Regressor, in the units of the prediction.'),
  rmse: estimate.optional(),
  r2: estimate.optional(),
});
export type EvaluatedMetrics = z.infer<typeof evaluatedMetrics>;

/** The candidate and the live version on one evaluation set. */
const evaluationSet = z.object({
  description: z.string(),
  candidate: evaluatedMetrics,
  live: evaluatedMetrics,
});

/** What the evaluation gate found: stored with the version a retraining registered. */
export const evaluationReport = z.object({
  live_version: z.string().describe('The version the candidate was compared with.'),
  recent: evaluationSet.describe(
    'The most recent labelled examples not used for training: the primary test (where the world has moved).',
  ),
  holdout: evaluationSet.describe("The base data set's fixed held-out split: a looser guard against forgetting."),
  gate: z.object({
    passed: z.boolean(),
    reasons: z.array(z.string()).describe('Each check and its figures; the failed ones first.'),
  }),
  bootstrap: z.object({ resamples: z.number().int(), seed: z.number().int() }),
});
export type EvaluationReport = z.infer<typeof evaluationReport>;
