import { retrainInput, retrainJobOutput, retrainJobParam, retrainJobsOutput, serviceParam } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import { adminProcedure, router } from '../../core/procedures.ts';
import { retrainJobDto } from './retrain-dto.ts';

const tags = ['admin'];

/** Retraining a service's built-in model type on its base data and the examples flagged for training. */
export const retrainingRouter = router({
  start: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/models/{service}/retrain',
        tags,
        summary:
          'Retrain the built-in model type on its base data set plus the examples flagged for training, in the background; the result is evaluated against the live version and registered as a new version',
      },
      successStatus: 202,
      errors: {
        409: 'Not started: a retraining of the service is running, the version exists, or the base data set is not installed here (the fix is named).',
      },
    })
    .input(retrainInput)
    .output(retrainJobOutput)
    .mutation(async ({ ctx, input }) => {
      const { service, ...request } = input;
      // Started first, audited after: on SQLite the audit's transaction would hold the one writer the job needs.
      const job = await ctx.deps.retraining.start(service, request, ctx.user);
      return ctx.audit.commit(input, async () => ({ target: null, result: job }));
    }),

  job: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/models/{service}/retrain/{job_id}',
        tags,
        summary: "A retraining job: its phase and progress while it runs; its outcome and the evaluation gate's report",
      },
      errors: { 404: 'The service has no such job.' },
    })
    .input(retrainJobParam)
    .output(retrainJobOutput)
    .query(async ({ ctx, input }) => {
      const job = await ctx.deps.data.retrainJobs.get(input.service, input.job_id);
      if (!job)
        throw new TRPCError({ code: 'NOT_FOUND', message: `${input.service} has no retraining job ${input.job_id}` });
      return retrainJobDto(job);
    }),

  jobs: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/models/{service}/retrain',
        tags,
        summary: "The service's latest retraining jobs",
      },
    })
    .input(serviceParam)
    .output(retrainJobsOutput)
    .query(async ({ ctx, input }) => ({
      service: input.service,
      items: (await ctx.deps.data.retrainJobs.latest(input.service, 20)).map(retrainJobDto),
    })),
});
