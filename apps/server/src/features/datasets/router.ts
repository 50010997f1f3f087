import { trainDataInput, trainDataOutput } from '@mlapi/schemas';
import { adminProcedure, router } from '../../core/procedures.ts';

const tags = ['admin'];

/** Labelled data: the predictions with feedback, and which of them train the next model. */
export const datasetsRouter = router({
  flag: adminProcedure
    .meta({
      openapi: {
        method: 'PUT',
        path: '/admin/datasets/{service}/train-data',
        tags,
        summary: 'Choose which labelled examples (predictions with feedback) train the next model',
      },
    })
    .input(trainDataInput)
    .output(trainDataOutput)
    .mutation(async ({ ctx, input }) => {
      const { service, is_train_data, prediction_ids, model_version, from, to, user_id } = input;
      const counts = await ctx.deps.data.labelledExamples.setTrainData(
        {
          service,
          predictionIds: prediction_ids,
          modelVersion: model_version,
          from: from === undefined ? undefined : new Date(from),
          to: to === undefined ? undefined : new Date(to),
          userId: user_id,
        },
        is_train_data,
      );
      // The audit keeps how many ids were named, not the (up to 10,000) ids.
      const details = { ...input, prediction_ids: undefined, prediction_ids_named: prediction_ids?.length };
      return ctx.audit.commit(details, async () => ({
        target: null,
        result: { service, is_train_data, ...counts },
      }));
    }),
});
