import { z } from 'zod';
import { idParam, logIdParam } from './id.ts';
import { serviceParam } from './models.ts';
import { plainString } from './plain-text.ts';
import { serviceVersionSchema } from './services/service-version.ts';
import { instantParam } from './time-param.ts';

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
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), {
    message: 'from must be before to',
    path: ['from'],
  })
  .meta({ example: { is_train_data: true, from: '2025-01-01', model_version: '1.0.0' } });

export const trainDataOutput = z.object({
  service: serviceVersionSchema,
  is_train_data: z.boolean(),
  matched: z.number().int().describe('Labelled examples the filters select.'),
  changed: z.number().int().describe('Of those, how many had the other flag (now changed).'),
});
