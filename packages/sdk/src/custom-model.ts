import type { MlapiClient } from './client.ts';
import type { FeedbackOutput, ServiceModelDto, ServiceVersion } from './types.ts';

/** What the server adds to every prediction. */
export interface PredictionMeta {
  prediction_id: number;
  model_version: string;
}

/** An input of a model served from your own files: field name → value (see `describe()` for the fields). */
export type ModelInput = Record<string, number | boolean | string>;
/** A reply of such a model: regression `{ [field]: number }`, classification `{ [field]: label, probability, probabilities }`. */
export type ModelOutput = Record<string, unknown>;

/** A service whose model the client does not know at compile time, with the input and reply types you give it. */
export interface CustomModelService<I extends object = ModelInput, O extends object = ModelOutput> {
  readonly service: ServiceVersion;
  /** The model behind the service and the JSON Schemas of its input and reply (`GET /mlservice/vN/model`). */
  describe(): Promise<ServiceModelDto>;
  /** One prediction (`ml.vN.predict`); bad input is an `MlapiError` with `issues` naming each field. */
  predict(input: I): Promise<O & PredictionMeta>;
  /** Many predictions in one call, in order (`ml.vN.batch`; at most 1000 items). */
  batch(items: readonly I[]): Promise<{ items: (O & PredictionMeta)[]; count: number }>;
  /**
   * The true value of one of your predictions: a label (classification) or a number (regression). `input`, the
   * prediction's input again, is needed when the server logs inputs as a hash or not at all (LOG_INPUTS).
   */
  feedback(predictionId: number, actual: string | number, input?: I): Promise<FeedbackOutput>;
}

/** The procedures of one service with the input left open (the router types them by the built-in models). */
interface LooseService {
  model: { query(): Promise<ServiceModelDto> };
  predict: { mutate(input: unknown): Promise<unknown> };
  batch: { mutate(input: { items: readonly unknown[] }): Promise<unknown> };
  feedback: {
    mutate(input: { prediction_id: number; actual: string | number; input?: unknown }): Promise<FeedbackOutput>;
  };
}

/**
 * A service that serves your own model (`MODEL_DIR_V1` / `MODEL_DIR_V2` on the server). The client's
 * `ml.v1` / `ml.v2` procedures are typed by the built-in models (spam filter, house prices); with a model of your
 * own the input is the manifest's fields, which only the running server knows. This wraps the same procedures
 * with the types you give (by default loose records); the server still validates every input.
 *
 * ```ts
 * type House = { rooms: number; area: number; garden: boolean };
 * const houses = customModel<House, { price: number }>(mlapi, 'v2');
 * const { price, model_version } = await houses.predict({ rooms: 3, area: 80, garden: true });
 * ```
 */
export function customModel<I extends object = ModelInput, O extends object = ModelOutput>(
  client: MlapiClient,
  service: ServiceVersion,
): CustomModelService<I, O> {
  const procedures = () => client.ml[service] as unknown as LooseService;
  return {
    service,
    describe: () => procedures().model.query(),
    predict: async (input) => (await procedures().predict.mutate(input)) as O & PredictionMeta,
    batch: async (items) =>
      (await procedures().batch.mutate({ items })) as { items: (O & PredictionMeta)[]; count: number },
    feedback: (predictionId, actual, input) =>
      procedures().feedback.mutate({ prediction_id: predictionId, actual, ...(input ? { input } : {}) }),
  };
}
