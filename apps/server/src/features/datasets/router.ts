import { datasetExportCheck, datasetExportQuery, trainDataInput, trainDataOutput } from '@mlapi/schemas';
import { adminProcedure, router } from '../../core/procedures.ts';

const tags = ['admin'];

/** Labelled data: the predictions with feedback, and which of them train the next model. */
export const datasetsRouter = router({
  /**
   * Checks an export of the labelled examples (admin, query) and answers it as read. The export itself is streamed
   * by the HTTP binding on this route (http/dataset-export.ts), which asks this procedure first; the OpenAPI document
   * describes the streamed reply (openapi/streamed-export.ts).
   */
  exportCheck: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/datasets/{service}',
        tags,
        summary: "The service's labelled examples (predictions with feedback), streamed as JSONL or CSV",
      },
    })
    .input(datasetExportQuery)
    .output(datasetExportCheck)
    .query(({ input }) => input),

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
