/**
 * manifest.json: what an ONNX model directory declares about its graph — which service it serves, the input
 * fields packed into the input tensor, and how to turn the output tensor into a reply. Every object is strict
 * (an unknown key is an error, so a typo cannot pass silently), and every error names its JSON path.
 */
import { semanticVersion } from '@mlapi/schemas';
import { z } from 'zod';
import { referenceSchema } from './reference-schema.ts';

/** Default `max_length` of a text field (the built-in v1 model's limit). */
const DEFAULT_MAX_TEXT_LENGTH = 100_000;

type IssueInput = { input?: unknown };
/** An error message that says "is required" when the key is missing, else `message`. */
const requiredOr = (message: string) => (issue: IssueInput) => (issue.input === undefined ? 'is required' : message);

/** A strict object whose unknown-key error lists the unknown and the allowed keys. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => `"${k}"`).join(', ');
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} (allowed: ${allowed})`;
      }
      return issue.input === undefined ? 'is required' : 'must be an object';
    },
  });
}

const text = () => z.string({ error: requiredOr('must be a string') });
const nonEmpty = () => text().trim().min(1, { error: 'must not be empty' });
const finite = () => z.number({ error: requiredOr('must be a number') });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: requiredOr(`must be one of ${values.map((v) => `"${v}"`).join(', ')}`) });

/** An ONNX graph input/output name (any non-empty string; ONNX names may contain ':' or '/'). */
const tensorName = () =>
  text().min(1, { error: 'must not be empty' }).max(256, { error: 'must be at most 256 characters' });

/** A reply or input field name: becomes a JSON key, a CLI flag and an SDK property. */
const identifier = () =>
  text()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
      error: 'must be an identifier: letters, digits and _, not starting with a digit, at most 64 characters',
    })
    .refine((name) => !reservedNames.has(name), {
      error: (issue) => `must not be "${String(issue.input)}" (reserved in JavaScript objects)`,
    });
const reservedNames = new Set(['__proto__', 'constructor', 'prototype']);

const description = () => text().max(2_000, { error: 'must be at most 2000 characters' });

const serviceSchema = oneOf(['v1', 'v2']);

// ---------------------------------------------------------------------------------------------------------------
// input

const rangeFields = {
  name: identifier(),
  min: finite().optional(),
  max: finite().optional(),
  description: description().optional(),
};

const numberFieldSchema = strict({ ...rangeFields, type: z.literal('number') });
const integerFieldSchema = strict({ ...rangeFields, type: z.literal('integer') });
const booleanFieldSchema = strict({
  name: identifier(),
  type: z.literal('boolean'),
  description: description().optional(),
});
const textFieldSchema = strict({
  name: identifier(),
  type: z.literal('text'),
  /** The graph input that receives this field as a string tensor [N, 1] (or [N] if the graph declares rank 1). */
  tensor: tensorName(),
  max_length: z
    .int({ error: requiredOr('must be an integer') })
    .min(1, { error: 'must be >= 1' })
    .max(10_000_000, { error: 'must be <= 10000000' })
    .default(DEFAULT_MAX_TEXT_LENGTH),
  description: description().optional(),
});

const fieldTypes = ['number', 'integer', 'boolean', 'text'] as const;

const inputFieldSchema = z
  .discriminatedUnion('type', [numberFieldSchema, integerFieldSchema, booleanFieldSchema, textFieldSchema], {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : typeof issue.input !== 'object' || issue.input === null
          ? 'must be an object'
          : (issue.input as { type?: unknown }).type === undefined
            ? 'is required'
            : `must be one of ${fieldTypes.map((t) => `"${t}"`).join(', ')}`,
  })
  .check((ctx) => {
    const f = ctx.value;
    if ((f.type === 'number' || f.type === 'integer') && f.min !== undefined && f.max !== undefined && f.min > f.max) {
      ctx.issues.push({ code: 'custom', input: f, path: ['max'], message: `must be >= min (${f.min})` });
    }
  });

const standardizeSchema = strict({
  /** Subtracted from each packed feature, in field order. */
  mean: z.array(finite(), { error: requiredOr('must be an array of numbers') }),
  /** Each packed feature is divided by this after subtracting the mean; must be > 0. */
  std: z.array(finite().positive({ error: 'must be > 0' }), { error: requiredOr('must be an array of numbers') }),
});

const inputSchema = strict({
  /** The float graph input [N, F] that receives the number, integer and boolean fields in order. */
  tensor: tensorName().optional(),
  fields: z
    .array(inputFieldSchema, { error: requiredOr('must be an array of fields') })
    .min(1, { error: 'must list at least 1 field' })
    .max(10_000, { error: 'must list at most 10000 fields' }),
  /** (x − mean) / std per packed feature, applied before the tensor is built. */
  standardize: standardizeSchema.optional(),
  /** Describes the request object (OpenAPI, SDK, CLI). */
  description: description().optional(),
}).check((ctx) => {
  const input = ctx.value;
  const issue = (path: (string | number)[], message: string) =>
    ctx.issues.push({ code: 'custom', input, path, message });
  const seen = new Map<string, number>();
  input.fields.forEach((f, i) => {
    const first = seen.get(f.name);
    if (first !== undefined) issue(['fields', i, 'name'], `duplicate field name "${f.name}" (also fields[${first}])`);
    else seen.set(f.name, i);
  });
  const packed = input.fields.filter((f) => f.type !== 'text');
  const texts = input.fields.flatMap((f, i) => (f.type === 'text' ? [{ f, i }] : []));
  if (texts.length > 1) issue(['fields', texts[1]?.i ?? 0, 'type'], 'only one text field is supported');
  if (packed.length > 0 && input.tensor === undefined) {
    issue(['tensor'], 'is required: the number, integer and boolean fields are packed into this graph input');
  }
  if (packed.length === 0 && texts.length > 0 && input.tensor !== undefined) {
    issue(['tensor'], 'is not used: every field is text, and a text field names its own tensor');
  }
  for (const { f, i } of texts) {
    if (f.type === 'text' && f.tensor === input.tensor) issue(['fields', i, 'tensor'], 'must differ from input.tensor');
  }
  if (input.standardize) {
    if (packed.length === 0) issue(['standardize'], 'is not used: there are no number, integer or boolean fields');
    const { mean, std } = input.standardize;
    if (mean.length !== packed.length) {
      issue(['standardize', 'mean'], `must have one value per packed field (${packed.length}), has ${mean.length}`);
    }
    if (std.length !== packed.length) {
      issue(['standardize', 'std'], `must have one value per packed field (${packed.length}), has ${std.length}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------
// output

const regressionOutputSchema = strict({
  /** The graph output with the prediction, [N, 1] or [N]. */
  tensor: tensorName(),
  /** The reply field with the prediction, e.g. "price". */
  field: identifier(),
  /** reply = tensor value × scale + offset (e.g. a model trained on $1000s, served in dollars: scale 1000). */
  scale: finite()
    .refine((v) => v !== 0, { error: 'must not be 0' })
    .default(1),
  offset: finite().default(0),
  /** Unit of the reply value, e.g. "USD" (documentation only). */
  unit: nonEmpty().max(64, { error: 'must be at most 64 characters' }).optional(),
  /** Describes the reply field (OpenAPI, SDK, CLI). */
  description: description().optional(),
});

const activations = ['none', 'sigmoid', 'softmax'] as const;

const classificationOutputSchema = strict({
  /**
   * The graph output: probabilities or logits [N, K] (one column per label, in `labels` order), or a single column
   * [N, 1] / [N] with the probability or logit of `positive_label`.
   */
  tensor: tensorName(),
  /** Applied to the output tensor: 'sigmoid' for one logit column, 'softmax' for K logit columns. */
  activation: oneOf(activations).default('none'),
  labels: z
    .array(nonEmpty().max(200, { error: 'must be at most 200 characters' }), {
      error: requiredOr('must be an array of label names'),
    })
    .min(2, { error: 'must list at least 2 labels' })
    .max(10_000, { error: 'must list at most 10000 labels' }),
  /** The label whose probability goes into `probability_field`, and that precision/recall/F1 are computed for. */
  positive_label: nonEmpty(),
  /** The reply field with the predicted label. */
  field: identifier().default('label'),
  /** The reply field with the probability of `positive_label`. */
  probability_field: identifier().default('probability'),
  /** Describes the reply (OpenAPI, SDK, CLI). */
  description: description().optional(),
}).check((ctx) => {
  const out = ctx.value;
  const issue = (path: (string | number)[], message: string) =>
    ctx.issues.push({ code: 'custom', input: out, path, message });
  const seen = new Map<string, number>();
  out.labels.forEach((label, i) => {
    const first = seen.get(label);
    if (first !== undefined) issue(['labels', i], `duplicate label "${label}" (also labels[${first}])`);
    else seen.set(label, i);
  });
  if (!seen.has(out.positive_label)) {
    issue(
      ['positive_label'],
      `must be one of labels (${out.labels.map((l) => `"${l}"`).join(', ')}), is "${out.positive_label}"`,
    );
  }
  if (out.field === out.probability_field) issue(['probability_field'], `must differ from field ("${out.field}")`);
  if (out.field === 'probabilities')
    issue(['field'], 'must not be "probabilities" (the reply\'s per-label probabilities)');
  if (out.probability_field === 'probabilities') {
    issue(['probability_field'], 'must not be "probabilities" (the reply\'s per-label probabilities)');
  }
});

// ---------------------------------------------------------------------------------------------------------------
// model card extras and the whole manifest

/** Optional model-card facts; anything left out is filled with "not reported" defaults. */
const cardSchema = strict({
  algorithm: nonEmpty().max(200, { error: 'must be at most 200 characters' }).optional(),
  trained_at: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-01-31T12:00:00Z' })
    .optional(),
  data_source: nonEmpty().max(500, { error: 'must be at most 500 characters' }).optional(),
  rows: z.int({ error: 'must be an integer' }).min(0, { error: 'must be >= 0' }).optional(),
  evaluation: nonEmpty().max(500, { error: 'must be at most 500 characters' }).optional(),
  metrics: z.record(z.string(), finite(), { error: 'must be an object of metric name → number' }).optional(),
  limitations: z.array(nonEmpty(), { error: 'must be an array of strings' }).optional(),
  /** The training distribution, for drift (reference-schema.ts). */
  reference: referenceSchema.optional(),
});

const common = {
  service: serviceSchema,
  /** e.g. "churn-logreg"; shown in the model card, logs and the served-models listing. */
  name: text().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  }),
  /** Semantic version of the model artifact, e.g. "1.0.0". */
  version: text().regex(semanticVersion, {
    error: 'must be a semantic version like 1.0.0 or 2.1.0-rc.1',
  }),
  description: description().optional(),
  input: inputSchema,
  card: cardSchema.optional(),
};

export const manifestSchema = z.discriminatedUnion(
  'task',
  [
    strict({ ...common, task: z.literal('regression'), output: regressionOutputSchema }),
    strict({ ...common, task: z.literal('classification'), output: classificationOutputSchema }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : typeof issue.input !== 'object' || issue.input === null || Array.isArray(issue.input)
          ? 'must be a JSON object'
          : (issue.input as { task?: unknown }).task === undefined
            ? 'is required'
            : 'must be "classification" or "regression"',
  },
);

/** A validated manifest, defaults applied. */
export type OnnxManifest = z.output<typeof manifestSchema>;
/** What one writes into manifest.json (defaults may be left out). */
export type OnnxManifestInput = z.input<typeof manifestSchema>;
/** What one writes for a regression model (use it, not `Partial<OnnxManifestInput>`, to build one from parts). */
export type RegressionManifestInput = Extract<OnnxManifestInput, { task: 'regression' }>;
export type ClassificationManifestInput = Extract<OnnxManifestInput, { task: 'classification' }>;
export type RegressionManifest = Extract<OnnxManifest, { task: 'regression' }>;
export type ClassificationManifest = Extract<OnnxManifest, { task: 'classification' }>;
export type InputField = z.output<typeof inputFieldSchema>;
/** A field packed into the float input tensor. */
export type PackedField = Exclude<InputField, { type: 'text' }>;
export type TextField = Extract<InputField, { type: 'text' }>;

/** The fields packed, in order, into the float input tensor [N, F]. */
export const packedFields = (m: OnnxManifest): PackedField[] =>
  m.input.fields.filter((f): f is PackedField => f.type !== 'text');

/** The text field, if the manifest has one. */
export const textField = (m: OnnxManifest): TextField | undefined =>
  m.input.fields.find((f): f is TextField => f.type === 'text');

/** `input.fields[2].name` from a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

/** One line per problem: `output.labels: must list at least 2 labels`. */
export function formatManifestIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
}

/** Validates parsed manifest JSON; throws the ZodError (see `formatManifestIssues`). */
export function parseManifest(json: unknown): OnnxManifest {
  return manifestSchema.parse(json);
}
