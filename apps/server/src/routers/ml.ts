import { type Model, type ServiceVersion, models } from '@mlapi/ml';
import { feedbackOutput, metricsOutput, metricsQuery, predictionIdSchema, serviceHealthSchema } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recordFeedback } from '../services/feedback.ts';
import { computeMetrics } from '../services/model-metrics.ts';
import { adminProcedure, protectedProcedure, publicProcedure, router, serviceProcedure } from '../trpc.ts';

/** What every prediction reply adds to the model's own output. */
const predictionMeta = z.object({
  prediction_id: z.number().int().describe('Send it back with POST …/feedback once the true value is known.'),
  model_version: z.string(),
});

/** The model's output schema plus `prediction_id` and `model_version`, as one object in the OpenAPI document. */
function replySchema<O>(output: z.ZodType<O>): z.ZodType<O & z.infer<typeof predictionMeta>> {
  const schema = output instanceof z.ZodObject ? output.extend(predictionMeta.shape) : predictionMeta.and(output);
  return schema as unknown as z.ZodType<O & z.infer<typeof predictionMeta>>;
}

/** Loads the model if needed; a model that cannot load is a 503, not a 500. */
async function ready<I, O>(model: Model<I, O>): Promise<Model<I, O>> {
  if (model.isLoaded()) return model;
  try {
    await model.load();
    return model;
  } catch {
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: `model ${model.name} is not available` });
  }
}

/** The routes of one model service: predict, batch, feedback, metrics and healthcheck. */
function serviceRouter<I extends object, O extends object>(version: ServiceVersion, model: Model<I, O>) {
  const tags = [`mlservice ${version}`];
  const reply = replySchema(model.outputSchema);
  const logged = (inputs: I[], outputs: O[]) =>
    outputs.map((output, i) => ({
      modelName: model.name,
      modelVersion: model.version,
      input: inputs[i] as Record<string, unknown>,
      output: output as Record<string, unknown>,
      predicted: model.predictedValue(output),
    }));

  return router({
    predict: serviceProcedure(version)
      .meta({ openapi: { method: 'POST', path: `/mlservice/${version}/predict`, tags, summary: `Predict with ${model.name}` } })
      .input(model.inputSchema)
      .output(reply)
      .mutation(async ({ ctx, input }) => {
        const output = await (await ready(model)).predict(input as I);
        const [id] = await ctx.callLog.recordSuccess(logged([input as I], [output]));
        return { ...output, prediction_id: id!, model_version: model.version };
      }),

    batch: serviceProcedure(version)
      .meta({
        openapi: {
          method: 'POST',
          path: `/mlservice/${version}/predict/batch`,
          tags,
          summary: `Predict many inputs at once (at most MAX_BATCH_ITEMS, default 1000) with ${model.name}`,
        },
      })
      .input(z.object({ items: z.array(model.inputSchema).min(1) }))
      .output(z.object({ items: z.array(reply), count: z.number().int() }))
      .mutation(async ({ ctx, input }) => {
        const limit = ctx.deps.env.MAX_BATCH_ITEMS;
        if (input.items.length > limit)
          throw new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: `items: a batch holds at most ${limit} items (got ${input.items.length})` });
        const inputs = input.items as I[];
        const outputs = await (await ready(model)).predictBatch(inputs);
        const ids = await ctx.callLog.recordSuccess(logged(inputs, outputs));
        const items = outputs.map((o, i) => ({ ...o, prediction_id: ids[i]!, model_version: model.version }));
        return { items, count: items.length };
      }),

    feedback: protectedProcedure
      .meta({ openapi: { method: 'POST', path: `/mlservice/${version}/feedback`, tags, summary: 'Record the true value of one of your predictions' } })
      .input(z.object({ prediction_id: predictionIdSchema, actual: model.targetSchema }))
      .output(feedbackOutput)
      .mutation(({ ctx, input }) =>
        recordFeedback(ctx.em, ctx.user, version, input.prediction_id, input.actual as number | string, ctx.deps.now()),
      ),

    metrics: adminProcedure
      .meta({ openapi: { method: 'GET', path: `/mlservice/${version}/metrics`, tags, summary: `Live metrics of ${version} over feedback` } })
      .input(metricsQuery)
      .output(metricsOutput)
      .query(({ ctx, input }) =>
        computeMetrics(ctx.em, { service: version, task: model.task, labels: model.labels, positiveLabel: model.positiveLabel }, input, model.version),
      ),

    health: publicProcedure
      .meta({ openapi: { method: 'GET', path: `/mlservice/${version}/healthcheck`, tags, summary: `Is ${version} ready?` } })
      .input(z.void())
      .output(serviceHealthSchema)
      .query(() => {
        const loaded = model.isLoaded();
        return { status: loaded ? ('ok' as const) : ('loading' as const), model: model.name, model_version: model.version, loaded };
      }),
  });
}

export const mlRouter = router({
  v1: serviceRouter('v1', models.v1),
  v2: serviceRouter('v2', models.v2),
});
