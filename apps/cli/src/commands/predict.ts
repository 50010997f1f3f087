import { v1InputSchema, v2InputSchema, type ServiceVersion, type V1Input, type V2Input } from '@mlapi/schemas';
import { customModel, isMlapiError, type MlapiClient } from '@mlapi/sdk';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { z } from 'zod';
import { readInputFile, runBatch, type BatchSpec, type BatchSummary } from '../batch.ts';
import { context, parseOptions, type Ctx } from '../context.ts';
import { UsageError, formatIssues } from '../errors.ts';
import { textField } from '../model-input.ts';
import { note, printJson, printRecord } from '../output.ts';
import { readStdin } from '../prompt.ts';
import {
  customSpec,
  defineFieldFlags,
  describeServed,
  fieldFlag,
  fieldsHint,
  flagValues,
  isCustom,
  newServed,
  printReply,
  validCustomInput,
  type Served,
} from '../served-model.ts';
import { commandDescriptions } from '../command-descriptions.ts';

/** The v2 features, their descriptions straight from the model's zod schema. */
export const v2Features = Object.entries(v2InputSchema.shape).map(([name, schema]) => ({
  name: name as keyof V2Input,
  description: schema.description ?? name,
}));

const batchOptions = z.object({
  file: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  format: z.enum(['jsonl', 'csv']).optional(),
  chunkSize: z.coerce.number().int().min(1).max(1000).default(200),
  progress: z.boolean().default(true),
  overwrite: z.boolean().default(false),
});

function addBatchOptions(cmd: Command): Command {
  return cmd
    .option('-f, --file <path>', 'predict every record of a .jsonl or .csv file through the batch endpoint')
    .option('-o, --out <path>', 'write batch results there (resumes when it already holds results) instead of stdout')
    .addOption(
      new Option('--format <format>', 'batch result format (default: from --out, else jsonl)').choices([
        'jsonl',
        'csv',
      ]),
    )
    .option('--chunk-size <n>', 'inputs per batch request (1–1000)', '200')
    .option('--no-progress', 'no progress on stderr')
    .option('--overwrite', 'start --out afresh instead of resuming');
}

function printSummary(ctx: Ctx, s: BatchSummary) {
  if (ctx.json && s.out) printJson(s);
  else if (ctx.json) note(JSON.stringify(s));
  else
    note(
      `done: ${s.items} items, ${s.ok} ok, ${s.failed} failed in ${s.seconds.toFixed(2)} s (${s.items_per_second} items/s)` +
        (s.skipped ? `; ${s.skipped} skipped (already in ${s.out})` : '') +
        (s.out ? `; results in ${s.out}` : ''),
    );
}

async function batch<I>(ctx: Ctx, spec: BatchSpec<I>, opts: z.infer<typeof batchOptions> & { file: string }) {
  const summary = await runBatch(spec, { ...opts, json: ctx.json });
  printSummary(ctx, summary);
  // Failed items are reported in the results; the command fails only when nothing succeeded.
  if (summary.items > 0 && summary.ok === 0) throw new Error(`all ${summary.items} items failed`);
}

const v1Spec = (client: MlapiClient): BatchSpec<V1Input> => ({
  name: 'v1',
  schema: v1InputSchema,
  fromCsv: (r) => ({ text: r['text'] }),
  fromJson: (v) => (typeof v === 'string' ? { text: v } : v),
  requiredFields: ['text'],
  outputFields: ['category', 'probability', 'prediction_id', 'model_version'],
  send: async (items) => (await client.ml.v1.batch.mutate({ items })).items,
});

const v2Spec = (client: MlapiClient): BatchSpec<V2Input> => ({
  name: 'v2',
  schema: v2InputSchema,
  fromCsv: (r) =>
    Object.fromEntries(
      v2Features.map(({ name }) => [name, r[name] === undefined || r[name] === '' ? undefined : Number(r[name])]),
    ),
  fromJson: (v) => v,
  requiredFields: v2Features.map((f) => f.name),
  outputFields: ['price', 'prediction_id', 'model_version'],
  send: async (items) => (await client.ml.v2.batch.mutate({ items })).items,
});

const parseNumber = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

/** `--input <json>` (or `-` for stdin) as an object; nothing when not given. */
async function inputJson(value: unknown): Promise<Record<string, unknown>> {
  if (typeof value !== 'string') return {};
  const text = value === '-' ? await readStdin() : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--input: not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError('--input: expected a JSON object');
  return parsed as Record<string, unknown>;
}

interface Single<I> {
  served: Served;
  /** The input shaped for the built-in model, its check, and the prefix of its issues (`--` for options). */
  builtin: { input: Record<string, unknown>; schema: z.ZodObject<z.ZodRawShape>; prefix: string };
  sendBuiltin(client: MlapiClient, input: I): Promise<Record<string, unknown>>;
  builtinLabels: Record<string, string>;
  /** The input for a model of your own, from the same command line. */
  customInput(): Record<string, unknown>;
}

/**
 * One prediction. An input that fits the built-in model's schema exactly is checked and sent as before (no extra
 * call). Otherwise — or when the server answers 422 to it — the CLI asks which model serves: the built-in one
 * keeps the built-in checks and messages; a model of your own gets its input built from the server's fields.
 */
async function predictOne<I>(ctx: Ctx, one: Single<I>): Promise<void> {
  const s = one.served;
  const client = ctx.signedIn();
  if (!isCustom(s)) {
    const { input, schema, prefix } = one.builtin;
    const parsed = schema.safeParse(input);
    const fits = parsed.success && Object.keys(input).every((k) => k in schema.shape);
    if (!fits) await describeServed(s, client);
    if (!isCustom(s)) {
      if (!parsed.success) throw new UsageError(formatIssues(parsed.error, prefix));
      try {
        const reply = await one.sendBuiltin(client, parsed.data as I);
        if (ctx.json) printJson(reply);
        else printRecord(reply, one.builtinLabels);
        return;
      } catch (err) {
        // A 422 to an input shaped for the built-in model may mean the server serves another model.
        if (s.model || !(isMlapiError(err) && err.code === 'BAD_REQUEST' && err.issues.length > 0)) throw err;
        if ((await describeServed(s, client)).source === 'builtin') throw err;
      }
    }
  }
  const input = validCustomInput(s, one.customInput());
  const reply = await customModel<Record<string, unknown>>(client, s.service).predict(input);
  if (ctx.json) printJson(reply);
  else printReply(reply);
}

/** `predict v1`: one e-mail classified as spam or ham, or a file of them; `s` is what the server serves as v1. */
function registerPredictV1(predict: Command, s: Served): void {
  const v1 = addBatchOptions(
    predict
      .command('v1')
      .description('Classify an e-mail as spam or ham (needs the v1 right)')
      .argument('[text]', 'the e-mail (raw RFC 822 or just the text); "-" reads it from stdin')
      .option('-i, --input <json>', 'the input as one JSON object ("-" reads it from stdin), e.g. {"text": "..."}'),
  );
  v1.addHelpText(
    'after',
    `
Examples:
  $ mlapi predict v1 "Subject: minutes

Hi Tom, thanks for the minutes of Tuesday's meeting..."
  $ cat mail.eml | mlapi predict v1 -
  $ mlapi predict v1 --file mails.jsonl --out results.jsonl   # one {"text": "..."} per line; rerun to resume
  $ mlapi predict v1 --file mails.csv --out results.csv       # a CSV with a "text" column
When the server serves a model of your own (ONNX) as v1, give its fields as options (--<field> <value>) or
--input; the text argument fills its one text field. \`mlapi models show v1\` lists the fields.`,
  ).action(async (text: string | undefined, _opts, cmd: Command) => {
    const ctx = context(cmd);
    const opts = parseOptions(batchOptions, cmd.opts());
    const raw = cmd.opts<Record<string, unknown>>();
    if (opts.file) {
      if (text !== undefined) throw new UsageError('give either a text or --file, not both');
      if (raw['input'] !== undefined || s.flags.size > 0)
        throw new UsageError('give either --file or the input (--input / --<field>), not both');
      readInputFile(opts.file); // a missing file is a usage error before the server is asked about the model
      const client = ctx.signedIn();
      const model = await describeServed(s, client);
      return batch(ctx, model.source === 'builtin' ? v1Spec(client) : customSpec(client, s), {
        ...opts,
        file: opts.file,
      });
    }
    if (text === undefined && raw['input'] === undefined && s.flags.size === 0)
      throw new UsageError('missing the text to classify (or "-" for stdin, or --input, or --file)');
    const body = text === '-' ? await readStdin() : text;
    const base = await inputJson(raw['input']);
    await predictOne<V1Input>(ctx, {
      served: s,
      builtin: { input: { ...base, ...(body === undefined ? {} : { text: body }) }, schema: v1InputSchema, prefix: '' },
      sendBuiltin: (client, input) => client.ml.v1.predict.mutate(input),
      builtinLabels: { probability: 'P(spam)' },
      customInput: () => {
        const input = { ...base, ...flagValues(s) };
        if (body === undefined) return input;
        const field = textField(s.fields);
        if (!field) throw new UsageError(`the text argument needs a model with one text field; ${fieldsHint(s)}`);
        return { ...input, [field.name]: body };
      },
    });
  });
}

/** `predict v2`: one Boston house price from its features, or a file of them; `s` is what the server serves as v2. */
function registerPredictV2(predict: Command, s: Served): void {
  const v2 = addBatchOptions(
    predict
      .command('v2')
      .description('Predict a Boston house price from the 12 census-tract features (needs the v2 right)')
      .option(
        '-i, --input <json>',
        'all features as one JSON object ("-" reads it from stdin); single options override its keys',
      ),
  );
  for (const { name, description } of v2Features)
    v2.addOption(new Option(`--${name} <number>`, description).argParser(fieldFlag(s, name, parseNumber)));
  v2.addHelpText(
    'after',
    `
Examples:
  $ mlapi predict v2 --crim 0.1 --zn 0 --indus 8 --chas 0 --nox 0.5 --rm 6.5 --age 60 --dis 4 --rad 4 --tax 300 --ptratio 18 --lstat 8
  $ mlapi predict v2 --input '{"crim":0.1,"zn":0,"indus":8,"chas":0,"nox":0.5,"rm":6.5,"age":60,"dis":4,"rad":4,"tax":300,"ptratio":18,"lstat":8}' --rm 7
  $ mlapi predict v2 --file houses.csv --out prices.csv   # a CSV with the 12 feature columns
(--json is the output switch of every command, so the JSON input is --input.)
When the server serves a model of your own (ONNX) as v2, its fields replace the 12 features: give them as
options (--<field> <value>), --input or --file columns. \`mlapi models show v2\` lists them.`,
  ).action(async (_opts, cmd: Command) => {
    const ctx = context(cmd);
    const opts = parseOptions(batchOptions, cmd.opts());
    const raw = cmd.opts<Record<string, unknown>>();
    if (opts.file) {
      if (raw['input'] !== undefined || s.flags.size > 0)
        throw new UsageError('give either --file or the features (--input / --<feature>), not both');
      readInputFile(opts.file); // a missing file is a usage error before the server is asked about the model
      const client = ctx.signedIn();
      const model = await describeServed(s, client);
      return batch(ctx, model.source === 'builtin' ? v2Spec(client) : customSpec(client, s), {
        ...opts,
        file: opts.file,
      });
    }
    const base = await inputJson(raw['input']);
    const features = Object.fromEntries(
      v2Features.flatMap(({ name }) => (raw[name] === undefined || isCustom(s) ? [] : [[name, raw[name]]])),
    );
    await predictOne<V2Input>(ctx, {
      served: s,
      builtin: { input: { ...base, ...features }, schema: v2InputSchema, prefix: '--' },
      sendBuiltin: (client, input) => client.ml.v2.predict.mutate(input),
      builtinLabels: { price: 'price (USD)' },
      customInput: () => ({ ...base, ...flagValues(s) }),
    });
  });
}

export function registerPredict(program: Command): void {
  const served = { v1: newServed('v1'), v2: newServed('v2') };
  const predict = program
    .command('predict')
    .description(commandDescriptions.predict)
    .addHelpText(
      'after',
      "\nExamples:\n  $ mlapi predict v1 $'Subject: lunch\\n\\nSee you at noon'\n  $ mlapi predict v2 --rm 6.5 --lstat 4.9 ...\n" +
        '  $ mlapi predict v1 --file mails.jsonl --out results.jsonl\n' +
        '  $ mlapi predict v2 --rooms 3 --area 80 --garden true   # a model of your own: its fields, see `mlapi models show v2`',
    )
    .hook('preSubcommand', async (self, sub) => {
      const s = served[sub.name() as ServiceVersion] as Served | undefined;
      if (s) await defineFieldFlags(self, sub, s);
    });

  registerPredictV1(predict, served.v1);
  registerPredictV2(predict, served.v2);
}
