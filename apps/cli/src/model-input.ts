/**
 * Input for a service whose model the server describes at run time (`ml.vN.model`): a model served from an ONNX
 * file has its own input fields, which the CLI cannot know when it is built. Everything here works from the
 * JSON Schema of one input that the server sends (`input_schema`): the fields and their types, the coercion of
 * flag and CSV strings, and a zod schema that checks an input the way the server will (messages name the field).
 */
import type { ServiceModelDto } from '@mlapi/sdk';
import { InvalidArgumentError } from 'commander';
import { z } from 'zod';

type FieldType = 'number' | 'integer' | 'boolean' | 'string' | 'other';

/** One input field, as the model's input JSON Schema describes it. */
export interface InputField {
  name: string;
  type: FieldType;
  required: boolean;
  description: string | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  exclusiveMinimum: number | undefined;
  exclusiveMaximum: number | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  enum: readonly unknown[] | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** zod writes ±MAX_SAFE_INTEGER as the bounds of every integer: not a range anyone chose. */
const bound = (v: unknown) => {
  const n = num(v);
  return n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n;
};

function typeOf(schema: Record<string, unknown>): FieldType {
  const type = schema['type'];
  const declared: unknown = Array.isArray(type) ? (type as unknown[]).find((t) => t !== 'null') : type;
  if (declared === 'number' || declared === 'integer' || declared === 'boolean' || declared === 'string')
    return declared;
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) {
    const kinds = new Set(schema['enum'].map((v) => typeof v));
    if (kinds.size === 1 && kinds.has('number')) return 'number';
    if (kinds.size === 1 && kinds.has('string')) return 'string';
  }
  return 'other';
}

/** The fields of an input JSON Schema (an object schema), in the order the server lists them. */
export function inputFields(schema: Record<string, unknown>): InputField[] {
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  const required = new Set(
    Array.isArray(schema['required']) ? schema['required'].filter((r) => typeof r === 'string') : [],
  );
  return Object.entries(properties).map(([name, raw]) => {
    const s = isRecord(raw) ? raw : {};
    return {
      name,
      type: typeOf(s),
      required: required.has(name),
      description: typeof s['description'] === 'string' ? s['description'] : undefined,
      minimum: bound(s['minimum']),
      maximum: bound(s['maximum']),
      exclusiveMinimum: num(s['exclusiveMinimum']),
      exclusiveMaximum: num(s['exclusiveMaximum']),
      minLength: num(s['minLength']),
      maxLength: num(s['maxLength']),
      enum: Array.isArray(s['enum']) ? s['enum'] : undefined,
    };
  });
}

/** What a flag's value looks like in `--help`-style usage: `--rooms <integer>`. */
export const valueName = (f: InputField): string =>
  ({ number: 'number', integer: 'integer', boolean: 'boolean', string: 'text', other: 'json' })[f.type];

/** The allowed values, for humans: `1–20`, `≥ 0`, `true/false`, `1–100000 chars`, `0, 1`. */
export function rangeOf(f: InputField): string {
  if (f.enum) return f.enum.map((v) => JSON.stringify(v)).join(', ');
  if (f.type === 'boolean') return 'true/false';
  const lo = f.minimum ?? f.exclusiveMinimum;
  const hi = f.maximum ?? f.exclusiveMaximum;
  const loSign = f.minimum !== undefined ? '≥' : '>';
  const hiSign = f.maximum !== undefined ? '≤' : '<';
  if (f.type === 'string') {
    if (f.minLength !== undefined && f.maxLength !== undefined) return `${f.minLength}–${f.maxLength} chars`;
    if (f.maxLength !== undefined) return `≤ ${f.maxLength} chars`;
    if (f.minLength !== undefined) return `≥ ${f.minLength} chars`;
    return '';
  }
  if (f.minimum !== undefined && f.maximum !== undefined) return `${f.minimum}–${f.maximum}`;
  return [lo === undefined ? '' : `${loSign} ${lo}`, hi === undefined ? '' : `${hiSign} ${hi}`]
    .filter(Boolean)
    .join(', ');
}

const booleans: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

/**
 * A flag's string value as the field's type: numbers, integers, booleans (true/false/1/0), text as given; any
 * other type is read as JSON (else kept as text). Throws commander's InvalidArgumentError (a usage error).
 */
export function coerce(f: InputField, value: string): unknown {
  switch (f.type) {
    case 'number':
    case 'integer': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n))
        throw new InvalidArgumentError(f.type === 'integer' ? 'expected an integer' : 'expected a number');
      if (f.type === 'integer' && !Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
      return n;
    }
    case 'boolean': {
      const b = booleans[value.trim().toLowerCase()];
      if (b === undefined) throw new InvalidArgumentError('expected true or false (or 1 or 0)');
      return b;
    }
    case 'string':
      return value;
    case 'other':
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
  }
}

/** A CSV cell as the field's type; an empty cell is a missing value, a bad one stays a string (validation names it). */
export function coerceCell(f: InputField, value: string | undefined): unknown {
  if (value === undefined || (value === '' && f.type !== 'string')) return undefined;
  try {
    return coerce(f, value);
  } catch {
    return value;
  }
}

/** The zod check of one field, with the server's wording (`rooms must be <= 20`). */
function fieldValidator(f: InputField): z.ZodType {
  const { name } = f;
  const typed = (what: string) => ({
    error: (iss: { input?: unknown }) => (iss.input === undefined ? `${name} is required` : `${name} must be ${what}`),
  });
  let schema: z.ZodType;
  switch (f.type) {
    case 'number':
    case 'integer': {
      let n = z.number(typed('a number'));
      if (f.type === 'integer') n = n.int({ error: `${name} must be an integer` });
      if (f.minimum !== undefined) n = n.min(f.minimum, { error: `${name} must be >= ${f.minimum}` });
      if (f.maximum !== undefined) n = n.max(f.maximum, { error: `${name} must be <= ${f.maximum}` });
      if (f.exclusiveMinimum !== undefined)
        n = n.gt(f.exclusiveMinimum, { error: `${name} must be > ${f.exclusiveMinimum}` });
      if (f.exclusiveMaximum !== undefined)
        n = n.lt(f.exclusiveMaximum, { error: `${name} must be < ${f.exclusiveMaximum}` });
      schema = n;
      break;
    }
    case 'boolean':
      schema = z.boolean(typed('true or false'));
      break;
    case 'string': {
      let s = z.string(typed('a string'));
      if (f.minLength !== undefined)
        s = s.min(f.minLength, {
          error: f.minLength === 1 ? `${name} must not be empty` : `${name} must be at least ${f.minLength} characters`,
        });
      if (f.maxLength !== undefined)
        s = s.max(f.maxLength, { error: `${name} must be at most ${f.maxLength} characters` });
      schema = s;
      break;
    }
    case 'other':
      schema = z.unknown().refine((v) => v !== undefined, { error: `${name} is required` });
      break;
  }
  if (f.enum) {
    const allowed = f.enum;
    schema = schema.refine((v) => allowed.some((a) => a === v), {
      error: `${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
    });
  }
  return f.required ? schema : schema.optional();
}

/**
 * The zod schema of one input. `strict`: a key that is not a field is an error naming it and the model's fields
 * (single predictions, where it is a typo); otherwise such keys are dropped, as the server does (batch files with
 * extra columns such as an id).
 */
export function inputValidator(
  fields: readonly InputField[],
  model: { name: string },
  strict: boolean,
): z.ZodType<Record<string, unknown>> {
  const shape = Object.fromEntries(fields.map((f) => [f.name, fieldValidator(f)]));
  if (!strict) return z.object(shape);
  const names = fields.map((f) => f.name).join(', ');
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.join(', ')}: ${model.name} takes ${names}`
        : undefined,
  });
}

/** The reply fields of the model (the output JSON Schema's properties), for the batch result columns. */
export const outputFields = (model: ServiceModelDto): string[] =>
  isRecord(model.output_schema['properties']) ? Object.keys(model.output_schema['properties']) : [];

/** The one text field of a model, which takes v1's positional text; undefined when there is none or several. */
export function textField(fields: readonly InputField[]): InputField | undefined {
  const texts = fields.filter((f) => f.type === 'string');
  return texts.length === 1 ? texts[0] : undefined;
}
