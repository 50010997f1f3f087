import { v1InputSchema, v2InputSchema, type V1Input, type V2Input } from '@mlapi/ml';
import type { MlapiClient } from '@mlapi/sdk';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { z } from 'zod';
import { runBatch, type BatchSpec, type BatchSummary } from '../batch.ts';
import { context, parseOptions, type Ctx } from '../context.ts';
import { UsageError, formatIssues } from '../errors.ts';
import { note, printJson, printRecord } from '../output.ts';
import { readStdin } from '../prompt.ts';

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
    .addOption(new Option('--format <format>', 'batch result format (default: from --out, else jsonl)').choices(['jsonl', 'csv']))
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
  outputFields: ['category', 'probability', 'prediction_id', 'model_version'],
  send: async (items) => (await client.ml.v1.batch.mutate({ items })).items,
});

const v2Spec = (client: MlapiClient): BatchSpec<V2Input> => ({
  name: 'v2',
  schema: v2InputSchema,
  fromCsv: (r) => Object.fromEntries(v2Features.map(({ name }) => [name, r[name] === undefined || r[name] === '' ? undefined : Number(r[name])])),
  fromJson: (v) => v,
  outputFields: ['price', 'prediction_id', 'model_version'],
  send: async (items) => (await client.ml.v2.batch.mutate({ items })).items,
});

const parseNumber = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

export function registerPredict(program: Command): void {
  const predict = program
    .command('predict')
    .description('Predict with a model service (v1: spam or ham, v2: Boston house price)')
    .addHelpText('after', '\nExamples:\n  $ mlapi predict v1 "Subject: lunch\\n\\nSee you at noon"\n  $ mlapi predict v2 --rm 6.5 --lstat 4.9 ...\n  $ mlapi predict v1 --file mails.jsonl --out results.jsonl');

  addBatchOptions(
    predict
      .command('v1')
      .description('Classify an e-mail as spam or ham (needs the v1 right)')
      .argument('[text]', 'the e-mail (raw RFC 822 or just the text); "-" reads it from stdin'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi predict v1 "Subject: minutes

Hi Tom, thanks for the minutes of Tuesday's meeting..."
  $ cat mail.eml | mlapi predict v1 -
  $ mlapi predict v1 --file mails.jsonl --out results.jsonl   # one {"text": "..."} per line; rerun to resume
  $ mlapi predict v1 --file mails.csv --out results.csv       # a CSV with a "text" column`,
    )
    .action(async (text: string | undefined, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const opts = parseOptions(batchOptions, cmd.opts());
      if (opts.file) {
        if (text !== undefined) throw new UsageError('give either a text or --file, not both');
        return batch(ctx, v1Spec(ctx.signedIn()), { ...opts, file: opts.file });
      }
      if (text === undefined) throw new UsageError('missing the text to classify (or "-" for stdin, or --file)');
      const input = { text: text === '-' ? await readStdin() : text };
      const valid = v1InputSchema.safeParse(input);
      if (!valid.success) throw new UsageError(formatIssues(valid.error));
      const reply = await ctx.signedIn().ml.v1.predict.mutate(valid.data);
      if (ctx.json) printJson(reply);
      else printRecord(reply, { probability: 'P(spam)' });
    });

  const v2 = addBatchOptions(
    predict
      .command('v2')
      .description('Predict a Boston house price from the 12 census-tract features (needs the v2 right)')
      .option('-i, --input <json>', 'all features as one JSON object ("-" reads it from stdin); single options override its keys'),
  );
  for (const { name, description } of v2Features) v2.addOption(new Option(`--${name} <number>`, description).argParser(parseNumber));
  v2.addHelpText(
    'after',
    `
Examples:
  $ mlapi predict v2 --crim 0.1 --zn 0 --indus 8 --chas 0 --nox 0.5 --rm 6.5 --age 60 --dis 4 --rad 4 --tax 300 --ptratio 18 --lstat 8
  $ mlapi predict v2 --input '{"crim":0.1,"zn":0,"indus":8,"chas":0,"nox":0.5,"rm":6.5,"age":60,"dis":4,"rad":4,"tax":300,"ptratio":18,"lstat":8}' --rm 7
  $ mlapi predict v2 --file houses.csv --out prices.csv   # a CSV with the 12 feature columns
(--json is the output switch of every command, so the JSON input is --input.)`,
  ).action(async (_opts, cmd: Command) => {
    const ctx = context(cmd);
    const opts = parseOptions(batchOptions, cmd.opts());
    const raw = cmd.opts<Record<string, unknown>>();
    if (opts.file) {
      if (raw['input'] !== undefined || v2Features.some(({ name }) => raw[name] !== undefined))
        throw new UsageError('give either --file or the features (--input / --<feature>), not both');
      return batch(ctx, v2Spec(ctx.signedIn()), { ...opts, file: opts.file });
    }
    let base: unknown = {};
    if (typeof raw['input'] === 'string') {
      const text = raw['input'] === '-' ? await readStdin() : raw['input'];
      try {
        base = JSON.parse(text);
      } catch {
        throw new UsageError('--input: not valid JSON');
      }
      if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError('--input: expected a JSON object');
    }
    const input = { ...(base as object), ...Object.fromEntries(v2Features.flatMap(({ name }) => (raw[name] === undefined ? [] : [[name, raw[name]]]))) };
    const valid = v2InputSchema.safeParse(input);
    if (!valid.success) throw new UsageError(formatIssues(valid.error, '--'));
    const reply = await ctx.signedIn().ml.v2.predict.mutate(valid.data);
    if (ctx.json) printJson(reply);
    else printRecord(reply, { price: 'price (USD)' });
  });
}
