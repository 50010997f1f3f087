import { serviceVersions, type ServiceVersion } from '@mlapi/schemas';
import { customModel, type ServedModelDto, type ServiceModelDto } from '@mlapi/sdk';
import { Argument, type Command } from 'commander';
import { context } from '../context.ts';
import { inputFields, outputFields, rangeOf, textField, valueName, type InputField } from '../model-input.ts';
import { note, out, printJson, printRecord, printTable } from '../output.ts';
import { commandDescriptions } from '../command-descriptions.ts';
import { registerRolloutCommands } from './model-rollouts.ts';
import { registerRetrainCommands } from './model-retraining.ts';
import { registerModelVersionCommands } from './model-versions.ts';

const serviceArg = () => new Argument('<service>', 'model service').choices(serviceVersions);
/** sha256 of model.onnx, shortened like a git commit. */
const short = (sha: string | null) => (sha ? sha.slice(0, 12) : '—');
const labelsOf = (m: { labels: string[] | null }) => (m.labels ? m.labels.join(', ') : '');

/** A command line that predicts with the model: `mlapi predict v2 --rooms <integer> [--garden <boolean>]`. */
function usageLine(service: string, fields: readonly InputField[]): string {
  const text = service === 'v1' ? textField(fields) : undefined;
  const parts = fields.map((f) => {
    const part = f === text ? `"<${f.name}>"` : `--${f.name} <${valueName(f)}>`;
    return f.required ? part : `[${part}]`;
  });
  return `mlapi predict ${service} ${parts.join(' ')}`;
}

function showModel(model: ServiceModelDto): void {
  const fields = inputFields(model.input_schema);
  printRecord({
    service: model.service,
    model: model.name,
    version: model.version,
    source: model.source === 'onnx' ? 'onnx (your own model, from MODEL_DIR)' : 'builtin',
    task: model.task,
    ...(model.labels ? { labels: labelsOf(model) } : {}),
    loaded: model.loaded,
    'serving since': model.serving_since,
    'reply fields': [...outputFields(model), 'prediction_id', 'model_version'].join(', '),
  });
  out('\nInput fields');
  printTable(
    fields.map((f) => ({ ...f, type: f.type === 'other' ? 'json' : f.type, range: rangeOf(f), required: f.required })),
    { name: 'field', type: 'type', range: 'range', required: 'required', description: 'description' },
  );
  out(`\nPredict: ${usageLine(model.service, fields)}`);
  out(
    `     or: mlapi predict ${model.service} --input '{…}'   |   --file inputs.jsonl / inputs.csv (one column per field)`,
  );
}

/** `mlapi models show <service>`: what a signed-in user needs to call a service. */
export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description(commandDescriptions.models)
    .addHelpText('after', '\nExamples:\n  $ mlapi models show v2\n  $ mlapi models show v1 --json');

  models
    .command('show')
    .description(
      'Show the model a service serves and its input fields (name, type, range, description) — what `predict` takes',
    )
    .addArgument(serviceArg())
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi models show v2          # the fields of a model of your own (ONNX), which --help cannot list
  $ mlapi models show v1 --json   # the raw reply, with the input and reply JSON Schemas`,
    )
    .action(async (service: ServiceVersion, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const model = await customModel(ctx.signedIn(), service).describe();
      if (ctx.json) printJson(model);
      else showModel(model);
    });
}

const servedColumns = {
  service: 'service',
  source: 'source',
  name: 'model',
  version: 'version',
  task: 'task',
  labels: 'labels',
  loaded: 'loaded',
  serving_since: 'serving since',
  sha256: 'sha256',
  directory: 'directory',
};

/** `mlapi admin models` and `mlapi admin models reload <service>`. */
export function registerAdminModels(admin: Command): void {
  const models = admin
    .command('models')
    .description('List the model each service serves: built-in or your own (ONNX), version, sha256, directory')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin models\n  $ mlapi admin models --json\n  $ mlapi admin models reload v2',
    )
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const reply = await ctx.signedIn().models.list.query();
      if (ctx.json) return printJson(reply);
      printTable(
        reply.items.map((m) => ({ ...m, labels: labelsOf(m), sha256: short(m.sha256) })),
        servedColumns,
      );
      if (reply.items.some((m) => m.source === 'onnx'))
        note('Reload a model of your own after changing its files: mlapi admin models reload <service>.');
    });

  models
    .command('reload')
    .description("Load the files in the service's MODEL_DIR again and swap the new model in without dropping a call")
    .addArgument(serviceArg())
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi admin models reload v2
  $ mlapi admin models reload v1 --json
Refused (exit 1, the server's reason) when the service serves the built-in model, the new files are broken, or
the new model would change the API (its input or reply fields): then the old model keeps serving.`,
    )
    .action(async (service: ServiceVersion, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const reply = await ctx.signedIn().models.reload.mutate({ service });
      if (ctx.json) return printJson(reply);
      const { previous: p, current: c } = reply;
      const name = (m: ServedModelDto) => `${m.name} ${m.version}`;
      out(
        reply.changed
          ? `Reloaded ${service}: ${name(p)} → ${name(c)}.`
          : `Reloaded ${service}: the files hold the same model (${name(c)}); nothing changed.`,
      );
      printRecord({
        version: `${p.version} → ${c.version}`,
        sha256: `${short(p.sha256)} → ${short(c.sha256)}`,
        changed: reply.changed,
        'serving since': c.serving_since,
        directory: c.directory,
      });
    });

  registerModelVersionCommands(models);
  registerRolloutCommands(models);
  registerRetrainCommands(models);
}
