import { z } from 'zod';
import { idParam } from './id.ts';
import { serviceParam } from './models.ts';
import { serviceVersionSchema } from './services/service-version.ts';
import { evaluationReport } from './evaluation-report.ts';

/** A model version as the registry takes it, semantic: 1.2.0, 1.2.0-rc.1, 1.2.0+build.5. */
export const semanticVersion = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** POST /admin/models/{service}/retrain. */
export const retrainInput = serviceParam
  .extend({
    version: z
      .string()
      .regex(semanticVersion, { error: 'version must be a semantic version, e.g. 1.3.0' })
      .max(64)
      .optional()
      .describe('The version the new model gets (default: the highest registered version with its minor part + 1).'),
    auto_shadow: z
      .boolean({ error: 'auto_shadow must be true or false' })
      .default(false)
      .describe('Start a shadow rollout of the new version when the evaluation gate passes.'),
  })
  .meta({ example: { auto_shadow: true } });
export type RetrainInput = z.infer<typeof retrainInput>;

export const retrainJobParam = serviceParam.extend({ job_id: idParam('job_id').describe('The retraining job.') });

/** A retraining job, as GET …/retrain/{job_id} shows it while it runs and after. */
export const retrainJobOutput = z.object({
  id: z.number().int(),
  service: serviceVersionSchema,
  state: z.enum(['running', 'succeeded', 'failed']),
  phase: z
    .string()
    .describe(
      "What it is doing: 'exporting', 'loading', 'featurising' (v1), 'training', 'evaluating', 'registering', then 'done' or 'failed'.",
    ),
  progress: z.object({
    done: z.number().int(),
    total: z.number().int().describe('0 while the phase has no known size.'),
  }),
  version: z.string().describe('The version the new model gets.'),
  auto_shadow: z.boolean(),
  train_examples: z.number().int().describe('Labelled examples flagged for training that it trained on.'),
  requested_by: z.string().nullable(),
  started_at: z.iso.datetime(),
  finished_at: z.iso.datetime().nullable(),
  error: z.string().nullable().describe("Why it failed, when 'failed'."),
  evaluation: evaluationReport.nullable().describe('The evaluation gate report, once evaluated.'),
  shadow_started: z.boolean().describe('Whether it started a shadow rollout of the new version.'),
});
export type RetrainJobDto = z.infer<typeof retrainJobOutput>;

export const retrainJobsOutput = z.object({
  service: serviceVersionSchema,
  items: z.array(retrainJobOutput).describe('The latest jobs (at most 20), newest first.'),
});
