import { z } from 'zod';
import { serviceVersionSchema } from './services/service-version.ts';

/** One row of the call log as the API shows it. */
const serviceCallSchema = z.object({
  id: z.number().int(),
  service_version: serviceVersionSchema,
  success: z.boolean(),
  error: z.string().nullable(),
  owner_id: z.number().int().nullable(),
  request_time: z.iso.datetime(),
  completion_time: z.iso.datetime(),
  duration: z.number().describe('Milliseconds.'),
  model_version: z
    .string()
    .nullable()
    .describe('The version of the model that answered (or was serving when the call was refused).'),
});
export type ServiceCallDto = z.infer<typeof serviceCallSchema>;

/** A call in your history: the call, and what it predicted. */
export const historyEntrySchema = serviceCallSchema.extend({
  prediction_id: z
    .number()
    .int()
    .nullable()
    .describe('The (first) prediction of the call, for feedback; null for a refused call.'),
  predictions: z
    .number()
    .int()
    .describe('How many predictions the call made: 1, or the items of a batch; 0 when refused.'),
  result: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe(
      "The model's output of a single prediction (e.g. category and probability); null for a batch or a refused call.",
    ),
});
export type HistoryEntryDto = z.infer<typeof historyEntrySchema>;
