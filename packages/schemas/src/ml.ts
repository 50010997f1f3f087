import { z } from 'zod';
import { logIdParam } from './id.ts';
import { plainString } from './plain-text.ts';
import { serviceVersionSchema } from './services/service-version.ts';
import { instantParam, windowInOrder, windowInOrderIssue } from './time-param.ts';

/** prediction_logs ids are 64-bit: bounded by what a JSON number carries exactly. */
export const predictionIdSchema = logIdParam('prediction_id');

export const feedbackOutput = z.object({
  prediction_id: z.number().int(),
  predicted: z.union([z.number(), z.string()]),
  actual: z.union([z.number(), z.string()]),
  feedback_time: z.iso.datetime(),
});

/** `?from=&to=` (dates or date-times, either optional) and `?model_version=`. */
export const metricsQuery = z
  .object({
    from: instantParam('from', 'Only predictions made at or after this time.').optional(),
    to: instantParam('to', 'Only predictions made before this time.').optional(),
    model_version: plainString('model_version').max(63).optional(),
  })
  .refine(windowInOrder, windowInOrderIssue);
export type MetricsQuery = z.infer<typeof metricsQuery>;

const metric = z.number().nullable();

const regressionMetricsSchema = z.object({
  model_version: z.string(),
  count: z.number().int().describe('Predictions with feedback in the window.'),
  mae: metric,
  rmse: metric,
  r2: metric,
  undefined_metrics: z.record(z.string(), z.string()).describe('Metrics that are null, with the reason.'),
});

const classificationMetricsSchema = z.object({
  model_version: z.string(),
  count: z.number().int(),
  positive_label: z.string(),
  accuracy: metric,
  precision: metric,
  recall: metric,
  f1: metric,
  confusion_matrix: z.object({
    labels: z.array(z.string()).describe('Row = actual label, column = predicted label, in this order.'),
    matrix: z.array(z.array(z.number().int())),
  }),
  undefined_metrics: z.record(z.string(), z.string()),
});

/** A model version's quality on the feedback in a window: classifier or regressor metrics. */
export const qualityMetricsSchema = z.union([classificationMetricsSchema, regressionMetricsSchema]);

export const metricsOutput = z.object({
  service_version: serviceVersionSchema,
  task: z.enum(['classification', 'regression']),
  from: z
    .string()
    .nullable()
    .describe('The window used: `from` moved back to the start of its 15-minute bucket; null when not asked for.'),
  to: z
    .string()
    .nullable()
    .describe('The end of the window used: `to` moved on to the end of its 15-minute bucket; null when not asked for.'),
  models: z.array(qualityMetricsSchema),
});
export type MetricsOutput = z.infer<typeof metricsOutput>;
