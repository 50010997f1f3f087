import type { Model, ModelRegistry } from '@mlapi/ml';
import {
  feedbackOutput,
  metricsOutput,
  metricsQuery,
  predictionIdSchema,
  serviceHealthSchema,
  serviceModelSchema,
  type ServiceVersion,
} from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { jsonSchemaOf } from '../models/model-contract.ts';
import { describeServed } from '../models/served-model-dto.ts';
import type { AppDeps } from '../../core/deps.ts';
import type { ServiceCallRecorder } from '../call-log/service-call-recorder.ts';
import { recordFeedback } from './feedback.ts';
import { loggedInput, type LogInputs } from '../call-log/logged-input.ts';
import { computeMetrics } from './model-metrics.ts';
import { driftBinner } from '../drift/drift-binning.ts';
import {
  adminProcedure,
  publicProcedure,
  router,
  serviceProcedure,
  serviceReaderProcedure,
} from '../../core/procedures.ts';

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

/** `{ items: [...] }` of a model's inputs, with two of its example input as the example (when it has one). */
function batchInput<I>(input: z.ZodType<I>) {
  const schema = z.object({ items: z.array(input).min(1) });
  const example = z.globalRegistry.get(input)?.example;
  return example === undefined ? schema : schema.meta({ example: { items: [example, example] } });
}

/**
 * `{ prediction_id, actual, input? }`, with the target's example value in the example. `input` is the prediction's
 * input again, needed when the log kept only a hash of it or nothing (LOG_INPUTS), so the labelled example has it.
 */
function feedbackInput<T, I>(target: z.ZodType<T>, input: z.ZodType<I>) {
  const schema = z.object({
    prediction_id: predictionIdSchema,
    actual: target,
    input: input
      .optional()
      .describe(
        "The prediction's input again: required when the server logs inputs as a hash or not at all " +
          '(LOG_INPUTS=hash|none) and the prediction has no labelled example yet; checked against the hash.',
      ),
  });
  const actual = z.globalRegistry.get(target)?.example;
  return actual === undefined ? schema : schema.meta({ example: { prediction_id: 1, actual } });
}

/** What a prediction route answers besides its access and input errors. */
const modelErrors = {
  429: 'Over your quota of calls to this service (per minute or per day); wait `Retry-After` seconds.',
  503: 'The model could not be loaded, or the database is unreachable; retry shortly.',
};

/** What the predictions add to the drift rollups: binned by the answering model's reference bins (none without). */
async function driftCounts<I, O>(model: Model<I, O>, inputs: I[], outputs: O[]) {
  const binner = await driftBinner(model);
  return binner ? binner(inputs, outputs) : undefined;
}

/** Rows for the prediction log, from the model that answered; inputs as LOG_INPUTS says. */
function logged<I, O>(model: Model<I, O>, inputs: I[], outputs: O[], mode: LogInputs) {
  return outputs.map((output, i) => ({
    modelName: model.name,
    modelVersion: model.version,
    input: loggedInput(mode, inputs[i] as Record<string, unknown>),
    output: output as Record<string, unknown>,
    predicted: model.predictedValue(output),
  }));
}

/** What a service call's handler has: the server, the caller, and the call's log entry. */
type ServiceCtx = { deps: AppDeps; user: { id: number }; callLog: ServiceCallRecorder };

/** Commits the call with its predictions (and what they add to the drift rollups); their ids, in order. */
async function recordPredictions<I, O>(ctx: ServiceCtx, model: Model<I, O>, inputs: I[], outputs: O[]) {
  const drift = await driftCounts(model, inputs, outputs);
  return ctx.callLog.recordSuccess(logged(model, inputs, outputs, ctx.deps.env.LOG_INPUTS), drift);
}

/** Runs `work` on the model that answers this caller (a canary's candidate for the users in its share). */
function answering<S extends ServiceVersion, R>(
  version: S,
  ctx: ServiceCtx,
  work: (model: ModelRegistry[S]) => Promise<R>,
): Promise<R> {
  return ctx.deps.models.use(
    version,
    (model) => {
      ctx.callLog.answeredBy(model.version);
      return work(model);
    },
    ctx.user.id,
  );
}

/**
 * The routes of one model service: predict, batch, feedback, metrics and healthcheck. Schemas come from the model
 * served at start-up; each call runs on the model current when it starts (see ServedModels), so a hot reload never
 * changes the model under a call in flight.
 */
function serviceRouter<S extends ServiceVersion>(version: S, initial: ModelRegistry[S]) {
  type I = Parameters<ModelRegistry[S]['predict']>[0];
  type O = Awaited<ReturnType<ModelRegistry[S]['predict']>>;
  const tags = [`mlservice ${version}`];
  const reply = replySchema(initial.outputSchema as z.ZodType<O>);
  const using = <R>(ctx: ServiceCtx, work: (model: Model<I, O>) => Promise<R>) =>
    answering(version, ctx, (m) => work(m as unknown as Model<I, O>));

  return router({
    predict: serviceProcedure(version)
      .meta({
        openapi: {
          method: 'POST',
          path: `/mlservice/${version}/predict`,
          tags,
          summary: `Predict with ${initial.name}`,
        },
        errors: modelErrors,
      })
      .input(initial.inputSchema as z.ZodType<I>)
      .output(reply)
      .mutation(({ ctx, input }) =>
        using(ctx, async (model) => {
          const output = await (await ready(model)).predict(input);
          const [id] = await recordPredictions(ctx, model, [input], [output]);
          ctx.deps.shadows.offer(version, [input], [id!]);
          return { ...output, prediction_id: id!, model_version: model.version };
        }),
      ),

    batch: serviceProcedure(version)
      .meta({
        openapi: {
          method: 'POST',
          path: `/mlservice/${version}/predict/batch`,
          tags,
          summary: `Predict many inputs at once (at most MAX_BATCH_ITEMS, default 1000) with ${initial.name}`,
        },
        errors: {
          ...modelErrors,
          413: 'The body is over MAX_BODY_BYTES, or the batch holds more than MAX_BATCH_ITEMS items (the limit is named).',
        },
      })
      .input(batchInput(initial.inputSchema as z.ZodType<I>))
      .output(z.object({ items: z.array(reply), count: z.number().int() }))
      .mutation(({ ctx, input }) => {
        const limit = ctx.deps.env.MAX_BATCH_ITEMS;
        if (input.items.length > limit)
          throw new TRPCError({
            code: 'PAYLOAD_TOO_LARGE',
            message: `items: a batch holds at most ${limit} items (got ${input.items.length})`,
          });
        return using(ctx, async (model) => {
          const outputs = await (await ready(model)).predictBatch(input.items);
          const ids = await recordPredictions(ctx, model, input.items, outputs);
          ctx.deps.shadows.offer(version, input.items, ids);
          const items = outputs.map((o, i) => ({ ...o, prediction_id: ids[i]!, model_version: model.version }));
          return { items, count: items.length };
        });
      }),

    feedback: serviceReaderProcedure(version)
      .meta({
        openapi: {
          method: 'POST',
          path: `/mlservice/${version}/feedback`,
          tags,
          summary: 'Record the true value of one of your predictions',
        },
        errors: { 404: 'No prediction of this id for this service that you may see.' },
      })
      .input(feedbackInput(initial.targetSchema, initial.inputSchema as z.ZodType<I>))
      .output(feedbackOutput)
      .mutation(({ ctx, input }) =>
        recordFeedback(ctx.deps.data.predictions, ctx.user, version, input, ctx.deps.now()),
      ),

    metrics: adminProcedure
      .meta({
        openapi: {
          method: 'GET',
          path: `/mlservice/${version}/metrics`,
          tags,
          summary: `Live metrics of ${version} over feedback`,
        },
      })
      .input(metricsQuery)
      .output(metricsOutput)
      .query(({ ctx, input }) => {
        const model = ctx.deps.models.current(version);
        const task = { service: version, task: model.task, labels: model.labels, positiveLabel: model.positiveLabel };
        return computeMetrics(ctx.deps.data.predictions, task, input, model.version);
      }),

    model: serviceReaderProcedure(version)
      .meta({
        openapi: {
          method: 'GET',
          path: `/mlservice/${version}/model`,
          tags,
          summary: `The model behind ${version} and its input and reply schemas`,
        },
      })
      .input(z.void())
      .output(serviceModelSchema)
      .query(({ ctx }) => {
        const { directory: _d, sha256: _s, ...served } = describeServed(ctx.deps.models, version);
        const model = ctx.deps.models.current(version);
        return {
          ...served,
          input_schema: jsonSchemaOf(model.inputSchema),
          output_schema: jsonSchemaOf(model.outputSchema),
        };
      }),

    health: publicProcedure
      .meta({
        openapi: { method: 'GET', path: `/mlservice/${version}/healthcheck`, tags, summary: `Is ${version} ready?` },
      })
      .input(z.void())
      .output(serviceHealthSchema)
      .query(({ ctx }) => {
        const model = ctx.deps.models.current(version);
        const loaded = model.isLoaded();
        return {
          status: loaded ? ('ok' as const) : ('loading' as const),
          model: model.name,
          model_version: model.version,
          loaded,
        };
      }),
  });
}

/** The model services, typed by the built-in models and validated by the models served at start-up. */
export const createMlRouter = (served: ModelRegistry) =>
  router({
    v1: serviceRouter('v1', served.v1),
    v2: serviceRouter('v2', served.v2),
  });
