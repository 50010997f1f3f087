import { z } from 'zod';

export const serviceVersionSchema = z.enum(['v1', 'v2']);

/** One row of the call log as the API shows it. */
export const serviceCallSchema = z.object({
  id: z.number().int(),
  service_version: serviceVersionSchema,
  success: z.boolean(),
  error: z.string().nullable(),
  owner_id: z.number().int().nullable(),
  request_time: z.iso.datetime(),
  completion_time: z.iso.datetime(),
  duration: z.number().describe('Milliseconds.'),
  model_version: z.string().nullable().describe('The version of the model that answered (or was serving when the call was refused).'),
});
export type ServiceCallDto = z.infer<typeof serviceCallSchema>;
