/**
 * The API contract of an ONNX model, derived from its manifest only: the request schema (one field per manifest
 * field, range-checked, errors naming the field like the built-in schemas), the reply schema and the feedback
 * target schema. The OpenAPI document, the SDK and the CLI are generated from these, so their texts depend on
 * the manifest's fields and descriptions only — never on the version or the weights (a hot reload that keeps
 * the fields keeps the contract).
 */
import { mustBe, plainString } from '@mlapi/schemas';
import { z } from 'zod';
import type { ClassificationManifest, InputField, OnnxManifest, RegressionManifest } from './manifest.ts';

/** A request to an ONNX model: field name → value. */
export type OnnxInput = Record<string, number | boolean | string>;
/** A reply: regression `{ [field]: number }`; classification `{ [field]: label, [probability_field]: p, probabilities }`. */
export type OnnxOutput = Record<string, unknown>;

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `allowed range ${min}–${max}`;
  if (min !== undefined) return `minimum ${min}`;
  if (max !== undefined) return `maximum ${max}`;
  return '';
}

function describeField(field: InputField): string {
  const base = field.description ?? `Input field "${field.name}"`;
  let detail: string;
  switch (field.type) {
    case 'number':
      detail = range(field.min, field.max);
      break;
    case 'integer':
      detail = ['integer', range(field.min, field.max)].filter(Boolean).join(', ');
      break;
    case 'boolean':
      detail = 'true or false';
      break;
    case 'text':
      detail = `1–${field.max_length} characters`;
      break;
  }
  return detail ? `${base} (${detail})` : base;
}

/** The zod schema of one input field; every message names the field. */
function fieldSchema(field: InputField): z.ZodType<number | boolean | string> {
  const { name } = field;
  switch (field.type) {
    case 'number':
    case 'integer': {
      let schema = z.number({ error: mustBe(name, 'a number') });
      if (field.type === 'integer') schema = schema.int({ error: `${name} must be an integer` });
      if (field.min !== undefined) schema = schema.min(field.min, { error: `${name} must be >= ${field.min}` });
      if (field.max !== undefined) schema = schema.max(field.max, { error: `${name} must be <= ${field.max}` });
      return schema.describe(describeField(field));
    }
    case 'boolean':
      return z.boolean({ error: mustBe(name, 'true or false') }).describe(describeField(field));
    case 'text':
      return plainString(name, { error: mustBe(name, 'a string') })
        .min(1, { error: `${name} must not be empty` })
        .max(field.max_length, { error: `${name} must be at most ${field.max_length} characters` })
        .describe(describeField(field));
  }
}

/** The request schema: an object with one key per manifest field, in manifest order. */
export function buildInputSchema(manifest: OnnxManifest): z.ZodType<OnnxInput> {
  const shape: Record<string, z.ZodType<number | boolean | string>> = {};
  for (const field of manifest.input.fields) shape[field.name] = fieldSchema(field);
  return z
    .object(shape)
    .describe(
      manifest.input.description ?? `The model's input fields: ${manifest.input.fields.map((f) => f.name).join(', ')}.`,
    );
}

function regressionOutputSchema(m: RegressionManifest): z.ZodType<OnnxOutput> {
  const { field, unit, description } = m.output;
  const text = description ?? `Predicted ${field}${unit ? `, in ${unit}` : ''}.`;
  return z.object({ [field]: z.number().describe(text) }).describe(`Prediction of ${field}.`);
}

function classificationOutputSchema(m: ClassificationManifest): z.ZodType<OnnxOutput> {
  const { labels, positive_label: positive, field, probability_field: probabilityField, description } = m.output;
  const labelEnum = z.enum(labels as [string, ...string[]]);
  const probability = () => z.number().min(0).max(1);
  const perLabel: Record<string, z.ZodType<number>> = {};
  for (const label of labels) perLabel[label] = probability().describe(`Estimated probability of "${label}".`);
  return z
    .object({
      [field]: labelEnum.describe('Predicted label: the most probable one.'),
      [probabilityField]: probability().describe(
        `Estimated probability of "${positive}", P(${positive}), whatever the predicted label.`,
      ),
      probabilities: z.object(perLabel).describe('Estimated probability of each label; they sum to 1.'),
    })
    .describe(description ?? `Classification into ${labels.map((l) => `"${l}"`).join(', ')}.`);
}

/** The reply schema. */
export function buildOutputSchema(manifest: OnnxManifest): z.ZodType<OnnxOutput> {
  return manifest.task === 'regression' ? regressionOutputSchema(manifest) : classificationOutputSchema(manifest);
}

/** The true value a client reports as feedback: a label (classification) or a number (regression). */
export function buildTargetSchema(manifest: OnnxManifest): z.ZodType<string | number> {
  if (manifest.task === 'classification') {
    const { labels } = manifest.output;
    return z
      .enum(labels as [string, ...string[]], {
        error: mustBe('actual', `one of ${labels.map((l) => `'${l}'`).join(', ')}`),
      })
      .describe('The true label.');
  }
  const { field, unit } = manifest.output;
  return z
    .number({ error: mustBe('actual', 'a number') })
    .describe(`The true ${field}${unit ? ` in ${unit}` : ''} (same unit as the prediction).`);
}
