import { z } from 'zod';
import { serviceVersionSchema } from './services/service-version.ts';

export const serviceParam = z.object({
  service: z
    .enum(serviceVersionSchema.options, { error: "service must be 'v1' or 'v2'" })
    .describe('The model service.'),
});

/** A model in service: where it comes from and which version answers. */
const servedModelSchema = z.object({
  service: serviceVersionSchema,
  name: z.string(),
  version: z.string(),
  source: z
    .enum(['builtin', 'onnx'])
    .describe("'builtin' for the models shipped with mlapi, 'onnx' for one loaded from MODEL_DIR_Vn."),
  task: z.enum(['classification', 'regression']),
  labels: z.array(z.string()).nullable().describe('Classification only: the class labels.'),
  directory: z.string().nullable().describe('ONNX only: the directory the model was loaded from.'),
  sha256: z.string().nullable().describe('ONNX only: SHA-256 of model.onnx.'),
  loaded: z.boolean(),
  serving_since: z.iso.datetime(),
});
export type ServedModelDto = z.infer<typeof servedModelSchema>;

export const servedModelsOutput = z.object({ items: z.array(servedModelSchema) });

export const modelReloadOutput = z.object({
  service: serviceVersionSchema,
  previous: servedModelSchema,
  current: servedModelSchema,
  changed: z.boolean().describe('False when the reloaded files hold the same model (name, version and weights).'),
});
export type ModelReloadOutput = z.infer<typeof modelReloadOutput>;

/** What a client needs to call a service: its model, and the JSON Schemas of its input and reply. */
export const serviceModelSchema = servedModelSchema.omit({ directory: true, sha256: true }).extend({
  input_schema: z.record(z.string(), z.unknown()).describe('JSON Schema of one prediction input.'),
  output_schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the model part of a prediction reply.'),
});
export type ServiceModelDto = z.infer<typeof serviceModelSchema>;
