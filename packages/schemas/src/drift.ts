/** GET /admin/models/{service}/drift: served inputs and predictions compared with the model's training distribution. */
import { z } from 'zod';
import { serviceParam } from './models.ts';
import { plainString } from './plain-text.ts';
import { serviceVersionSchema } from './services/service-version.ts';
import { instantParam, windowInOrder, windowInOrderIssue } from './time-param.ts';

const driftStatuses = ['ok', 'warn', 'alert'] as const;
const driftStatusSchema = z
  .enum(driftStatuses)
  .describe('ok below the warn threshold, warn from DRIFT_PSI_WARN (0.1), alert from DRIFT_PSI_ALERT (0.25).');
export type DriftStatus = z.infer<typeof driftStatusSchema>;

export const driftQuery = serviceParam
  .extend({
    version: plainString('version')
      .max(64)
      .optional()
      .describe('The model version whose calls to compare with its own card (default: the live version).'),
    from: instantParam('from', 'Calls made at or after this time (default: 24 hours before `to`).').optional(),
    to: instantParam('to', 'Calls made before this time (default: now).').optional(),
  })
  .refine(windowInOrder, windowInOrderIssue);
export type DriftQuery = z.infer<typeof driftQuery>;

const psi = z
  .number()
  .nullable()
  .describe(
    'Population stability index: Σ (served − reference) · ln(served / reference) over the bins, shares below 0.0001 ' +
      'taken as 0.0001; null when nothing was served.',
  );

const binShares = z.object({
  edges: z.array(z.number()).describe('Bin i holds edges[i−1] ≤ x < edges[i]; the first and last are open.'),
  reference: z.array(z.number()).describe('Share of training rows per bin.'),
  served: z.array(z.number()).describe('Share of served predictions per bin (zeros when none).'),
});

const driftFeatureSchema = z.object({
  feature: z.string(),
  psi,
  status: driftStatusSchema.nullable().describe('null when nothing was served.'),
  n: z.number().int().describe('Predictions served in the window.'),
  reference_mean: z.number(),
  served_mean: z.number().nullable(),
  bins: binShares,
});
export type DriftFeature = z.infer<typeof driftFeatureSchema>;

const driftPredictionSchema = z.object({
  psi,
  status: driftStatusSchema.nullable(),
  n: z.number().int(),
  labels: z.array(z.string()).nullable().describe('A classifier: the labels, in the order of the shares.'),
  reference: z.array(z.number()),
  served: z.array(z.number()),
  edges: z.array(z.number()).nullable().describe('A regressor: the bin edges of its predicted values.'),
});

const driftTextSchema = z.object({
  oov_rate: z.object({
    reference: z.number(),
    served: z.number().nullable().describe('Word tokens outside the training vocabulary, over all served tokens.'),
  }),
  mean_tokens: z.object({ reference: z.number(), served: z.number().nullable() }),
});

export const driftOutput = z.object({
  service: serviceVersionSchema,
  model_version: z.string(),
  from: z.iso.datetime().describe('The window used, snapped to whole 15-minute buckets.'),
  to: z.iso.datetime(),
  thresholds: z.object({ warn: z.number(), alert: z.number() }),
  status: driftStatusSchema.describe('The worst status of the features (ok when nothing was served).'),
  has_reference: z.boolean().describe("false when the version's card carries no reference bins: nothing to compare."),
  features: z.array(driftFeatureSchema),
  prediction: driftPredictionSchema.nullable(),
  text: driftTextSchema.nullable().describe('Text inputs (v1): the out-of-vocabulary rate and the length.'),
});
export type DriftOutput = z.infer<typeof driftOutput>;
