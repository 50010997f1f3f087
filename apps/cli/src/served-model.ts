/**
 * Which model a predict command talks to, when the server may serve a model of your own (ONNX) instead of the
 * built-in one: the model's description from the server (`ml.vN.model`), one option per input field, and the
 * field values coerced by the model's own types.
 */
import type { ServiceVersion } from '@mlapi/schemas';
import { customModel, type MlapiClient, type ServiceModelDto } from '@mlapi/sdk';
import { Option, type Command } from 'commander';
import type { BatchSpec } from './batch.ts';
import { context } from './context.ts';
import { UsageError, formatIssues } from './errors.ts';
import {
  coerce,
  coerceCell,
  inputFields,
  inputValidator,
  outputFields,
  textField,
  valueName,
  type InputField,
} from './model-input.ts';
import { printRecord } from './output.ts';

/**
 * What one predict command knows about the model it talks to. Nothing at first: the built-in model is assumed
 * while the command line fits it, so a built-in service costs no extra call. The server is asked (once) when a
 * flag is not a built-in one, for a --file batch, when the input does not fit the built-in schema, or when the
 * server refuses (422) an input shaped for the built-in model.
 */
export interface Served {
  service: ServiceVersion;
  model: ServiceModelDto | undefined;
  fields: InputField[];
  /** The field flags given, as typed (name → text); coerced by the served model's field types. */
  flags: Map<string, string>;
}

export const newServed = (service: ServiceVersion): Served => ({
  service,
  model: undefined,
  fields: [],
  flags: new Map(),
});
export const isCustom = (s: Served) => s.model !== undefined && s.model.source !== 'builtin';

export async function describeServed(s: Served, client: MlapiClient): Promise<ServiceModelDto> {
  if (!s.model) {
    s.model = await customModel(client, s.service).describe();
    s.fields = inputFields(s.model.input_schema);
  }
  return s.model;
}

/** Option attribute names a field flag must not take over (command, batch and global options). */
const reservedNames = new Set([
  'input',
  'file',
  'out',
  'format',
  'chunkSize',
  'progress',
  'overwrite',
  'help',
  'json',
  'url',
  'token',
  'version',
]);

/** A field flag's parser: records the text; coerces it by the served model's field once that is known. */
export const fieldFlag = (s: Served, name: string, builtin?: (value: string) => unknown) => (value: string) => {
  s.flags.set(name, value);
  if (isCustom(s)) {
    const field = s.fields.find((f) => f.name === name);
    return field ? coerce(field, value) : value;
  }
  return builtin ? builtin(value) : value;
};

const defines = (o: Option, flag: string) => o.long === flag || o.short === flag;

/** Long flags on the command line that the command does not define (before `--`; none when help is asked for). */
function foreignFlags(cmd: Command, args: readonly string[]): string[] {
  const end = args.indexOf('--');
  const options = end === -1 ? args : args.slice(0, end);
  if (options.some((a) => a === '-h' || a === '--help')) return [];
  return options
    .filter((a) => a.startsWith('--') && a.length > 2)
    .map((a) => (a.includes('=') ? a.slice(0, a.indexOf('=')) : a))
    .filter((flag) => !cmd.options.some((o) => defines(o, flag)));
}

/**
 * Before commander parses `predict v1|v2`: a flag it does not define may be a field of the model the server
 * serves, so ask the server and, for a model of your own, define one option per input field. Unknown flags then
 * stay commander's usage error (exit 2, with a "did you mean" suggestion among the fields).
 */
export async function defineFieldFlags(predict: Command, sub: Command, s: Served): Promise<void> {
  if (foreignFlags(sub, predict.args.slice(1)).length === 0) return;
  const model = await describeServed(s, context(predict).signedIn());
  if (model.source === 'builtin') return;
  for (const f of s.fields) {
    if (reservedNames.has(f.name) || sub.options.some((o) => defines(o, `--${f.name}`))) continue;
    sub.addOption(new Option(`--${f.name} <${valueName(f)}>`, f.description ?? f.name).argParser(fieldFlag(s, f.name)));
  }
}

/** The field flags as the served model's types (flags parsed before the model was known are coerced now). */
export function flagValues(s: Served): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, text] of s.flags) {
    const field = s.fields.find((f) => f.name === name);
    try {
      values[name] = field ? coerce(field, text) : text;
    } catch (err) {
      throw new UsageError(`--${name}: ${(err as Error).message}`);
    }
  }
  return values;
}

/** Checks an input against the served model's fields (a usage error naming each bad, missing or unknown field). */
export function validCustomInput(s: Served, input: Record<string, unknown>): Record<string, unknown> {
  const result = inputValidator(s.fields, s.model!, true).safeParse(input);
  if (!result.success) throw new UsageError(formatIssues(result.error, '--'));
  return result.data;
}

export const customSpec = (client: MlapiClient, s: Served): BatchSpec<Record<string, unknown>> => {
  const text = textField(s.fields);
  const service = customModel<Record<string, unknown>>(client, s.service);
  return {
    name: s.service,
    schema: inputValidator(s.fields, s.model!, false),
    fromCsv: (r) => Object.fromEntries(s.fields.map((f) => [f.name, coerceCell(f, r[f.name])])),
    fromJson: (v) => (typeof v === 'string' && text ? { [text.name]: v } : v),
    requiredFields: s.fields.filter((f) => f.required).map((f) => f.name),
    outputFields: [...outputFields(s.model!), 'prediction_id', 'model_version'],
    send: async (items) => (await service.batch(items)).items,
  };
};

/** A reply for humans: `probabilities` as one `P(label)` row per label. */
export function printReply(reply: Record<string, unknown>) {
  const { probabilities, ...rest } = reply;
  const perLabel =
    typeof probabilities === 'object' && probabilities !== null
      ? Object.fromEntries(Object.entries(probabilities).map(([label, p]) => [`P(${label})`, p]))
      : probabilities === undefined
        ? {}
        : { probabilities };
  printRecord({ ...rest, ...perLabel });
}

export const fieldsHint = (s: Served) =>
  `${s.service} serves ${s.model!.name} ${s.model!.version}, whose input is ${s.fields.map((f) => `--${f.name}`).join(' ')} ` +
  `(see \`mlapi models show ${s.service}\`)`;
