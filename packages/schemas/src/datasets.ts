import { z } from 'zod';
import { idParam, logIdParam } from './id.ts';
import { serviceParam } from './models.ts';
import { plainString } from './plain-text.ts';
import { serviceVersionSchema } from './services/service-version.ts';
import { instantParam, windowInOrder, windowInOrderIssue } from './time-param.ts';

/** Prediction ids one flag request may name. */
export const maxFlaggedIds = 10_000;

/**
 * PUT /admin/datasets/{service}/train-data: which labelled examples (predictions with feedback) train the next
 * model. Every filter given must hold; none selects all of the service's examples.
 */
export const trainDataInput = serviceParam
  .extend({
    is_train_data: z
      .boolean({ error: 'is_train_data must be true or false' })
      .describe('true: these examples train the next model; false: they do not.'),
    prediction_ids: z
      .array(logIdParam('prediction_ids'))
      .min(1, { error: 'prediction_ids must name at least one prediction' })
      .max(maxFlaggedIds, { error: `prediction_ids names at most ${maxFlaggedIds} predictions` })
      .optional()
      .describe('Only these predictions.'),
    model_version: plainString('model_version').max(63).optional().describe('Only predictions of this version.'),
    from: instantParam('from', 'Only predictions made at or after this time.').optional(),
    to: instantParam('to', 'Only predictions made before this time.').optional(),
    user_id: idParam('user_id').optional().describe("Only this user's predictions."),
  })
  .refine(windowInOrder, windowInOrderIssue)
  .meta({ example: { is_train_data: true, from: '2025-01-01', model_version: '1.0.0' } });

export const trainDataOutput = z.object({
  service: serviceVersionSchema,
  is_train_data: z.boolean(),
  matched: z.number().int().describe('Labelled examples the filters select.'),
  changed: z.number().int().describe('Of those, how many had the other flag (now changed).'),
});

/** A yes/no query parameter: `true` or `false` (also as booleans, over /trpc). */
const queryFlag = (field: string) =>
  z.preprocess(
    (v) => (v === 'true' ? true : v === 'false' ? false : v),
    z.boolean({ error: `${field} must be true or false` }),
  );

/** GET /admin/datasets/{service}: the service's labelled examples, streamed as JSONL or CSV. */
export const datasetExportQuery = serviceParam
  .extend({
    format: z
      .enum(['jsonl', 'csv'], { error: "format must be 'jsonl' or 'csv'" })
      .default('jsonl')
      .describe('jsonl: one JSON object per line (default); csv: a header row, then one row per example.'),
    train_only: queryFlag('train_only')
      .default(false)
      .describe('Only the examples flagged for training (is_train_data).'),
    from: instantParam('from', 'Only predictions made at or after this time.').optional(),
    to: instantParam('to', 'Only predictions made before this time.').optional(),
  })
  .refine(windowInOrder, windowInOrderIssue);
export type DatasetExportQuery = z.infer<typeof datasetExportQuery>;

/** An export's query as the server read it (what `datasets.exportCheck` answers before the rows are streamed). */
export const datasetExportCheck = z.object({
  service: serviceVersionSchema,
  format: z.enum(['jsonl', 'csv']),
  train_only: z.boolean(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});

/** One labelled example as the export writes it (a JSONL line; CSV has these columns, JSON cells as JSON text). */
export const datasetExampleSchema = z.object({
  prediction_id: z.number().int(),
  model_version: z.string(),
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()),
  predicted: z.union([z.number(), z.string()]).nullable(),
  actual: z.union([z.number(), z.string()]).nullable(),
  user_id: z.number().int().nullable(),
  predicted_at: z.iso.datetime(),
  feedback_time: z.iso.datetime(),
  is_train_data: z.boolean(),
});
export type DatasetExample = z.infer<typeof datasetExampleSchema>;
