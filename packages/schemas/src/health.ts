import { z } from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.boolean(),
  models: z.record(z.string(), z.boolean()),
});
export const serviceHealthSchema = z.object({
  status: z.enum(['ok', 'loading']),
  model: z.string(),
  model_version: z.string(),
  loaded: z.boolean(),
});
