import { serviceVersions, v1TargetSchema, v2TargetSchema, type ServiceVersion } from '@mlapi/schemas';
import { customModel, type MlapiClient, type ModelInput } from '@mlapi/sdk';
import { Argument, type Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { UsageError, formatIssues } from '../errors.ts';
import { note, out, printJson, printRecord, printTable } from '../output.ts';
import { commandDescriptions } from '../command-descriptions.ts';

const versionArgument = () => new Argument('<service>', 'model service').choices(serviceVersions);

const metricsOptions = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  modelVersion: z.string().min(1).optional(),
});

/** `2024-05-01` → `2024-05-01T00:00:00.000Z`; full ISO date-times pass through. */
const isoTime = (value: unknown) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`).toISOString() : value;

/**
 * Feedback that does not fit the built-in model's values (spam/ham, a price) may be for a model of your own:
 * ask the server which model serves, and check the value by its labels (classification) or as a number.
 */
async function customFeedback(
  client: MlapiClient,
  service: ServiceVersion,
  id: number,
  actual: string,
  builtinError: string,
  input: Record<string, unknown> | undefined,
) {
  const model = await customModel(client, service).describe();
  if (model.source === 'builtin') throw new UsageError(builtinError);
  let value: string | number = actual;
  if (model.task === 'classification') {
    const labels = model.labels ?? [];
    if (!labels.includes(actual))
      throw new UsageError(
        `actual must be one of ${labels.map((l) => `'${l}'`).join(', ')} (${model.name} ${model.version})`,
      );
  } else {
    value = Number(actual);
    if (actual.trim() === '' || !Number.isFinite(value))
      throw new UsageError(`actual must be a number (${model.name} ${model.version})`);
  }
  return customModel(client, service).feedback(id, value, input as ModelInput | undefined);
}

/** `--input '{"text": "…"}'`: the prediction's input again, as JSON (an object). */
function inputOption(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--input must be JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError('--input must be a JSON object, e.g. \'{"text": "…"}\'');
  return parsed as Record<string, unknown>;
}

export function registerFeedback(program: Command): void {
  program
    .command('feedback')
    .description(commandDescriptions.feedback)
    .addArgument(versionArgument())
    .argument('<prediction_id>', 'the prediction_id a predict call answered')
    .argument(
      '<actual>',
      'the truth: spam|ham for v1, the price in USD for v2 (a model of your own: one of its labels, or a number)',
    )
    .option(
      '--input <json>',
      "the prediction's input again, as JSON: needed when the server keeps only a hash of inputs or none (LOG_INPUTS)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi feedback v1 42 spam\n  $ mlapi feedback v2 43 24000\n' +
        '  $ mlapi feedback v1 44 ham --input \'{"text": "Lunch on Friday?"}\'',
    )
    .action(async (service: ServiceVersion, predictionId: string, actual: string, opts, cmd: Command) => {
      const ctx = context(cmd);
      const id = Number(predictionId);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError('<prediction_id> must be a positive integer');
      const input = inputOption((opts as { input?: string }).input);
      const given = input ? { input } : {};
      const client = ctx.signedIn();
      let reply;
      if (service === 'v1') {
        const parsed = v1TargetSchema.safeParse(actual);
        if (parsed.success)
          reply = await client.ml.v1.feedback.mutate({ prediction_id: id, actual: parsed.data, ...given });
        else reply = await customFeedback(client, service, id, actual, formatIssues(parsed.error), input);
      } else {
        const parsed = v2TargetSchema.safeParse(actual.trim() === '' ? Number.NaN : Number(actual));
        if (parsed.success)
          reply = await client.ml.v2.feedback.mutate({ prediction_id: id, actual: parsed.data, ...given });
        else reply = await customFeedback(client, service, id, actual, formatIssues(parsed.error), input);
      }
      if (ctx.json) printJson(reply);
      else printRecord(reply);
    });

  program
    .command('metrics')
    .description(commandDescriptions.metrics)
    .addArgument(versionArgument())
    .option('--from <time>', 'only predictions made at or after this time (ISO date or date-time)')
    .option('--to <time>', 'only predictions made before this time (ISO date or date-time)')
    .option('--model-version <version>', 'only this model version')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi metrics v1\n  $ mlapi metrics v2 --from 2025-01-01 --to 2025-02-01 --json',
    )
    .action(async (service: ServiceVersion, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const raw = cmd.opts<Record<string, unknown>>();
      const opts = parseOptions(metricsOptions, { ...raw, from: isoTime(raw['from']), to: isoTime(raw['to']) });
      const query = { from: opts.from, to: opts.to, model_version: opts.modelVersion };
      const client = ctx.signedIn();
      const reply =
        service === 'v1' ? await client.ml.v1.metrics.query(query) : await client.ml.v2.metrics.query(query);
      if (ctx.json) return printJson(reply);
      out(`${reply.service_version} (${reply.task}), from ${reply.from ?? 'the start'} to ${reply.to ?? 'now'}`);
      if (reply.models.length === 0) return note('No feedback in this window yet.');
      const columns: Record<string, string> =
        reply.task === 'classification'
          ? {
              model_version: 'model version',
              count: 'count',
              accuracy: 'accuracy',
              precision: 'precision',
              recall: 'recall',
              f1: 'f1',
            }
          : { model_version: 'model version', count: 'count', mae: 'MAE', rmse: 'RMSE', r2: 'R²' };
      printTable(reply.models, columns);
      for (const m of reply.models)
        for (const [metric, why] of Object.entries(m.undefined_metrics))
          note(`${m.model_version}: ${metric} undefined — ${why}`);
    });
}
