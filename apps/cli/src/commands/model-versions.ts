import { serviceVersions, type ServiceVersion } from '@mlapi/schemas';
import { Argument, type Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { context } from '../context.ts';
import { readModelDirectory } from '../model-directory.ts';
import { note, out, printJson, printTable } from '../output.ts';

const serviceArg = () => new Argument('<service>', 'model service').choices(serviceVersions);
const short = (sha: string) => sha.slice(0, 12);

const versionColumns = {
  version: 'version',
  state: 'state',
  source: 'source',
  name: 'model',
  sha256: 'sha256',
  registered_by: 'registered by',
  registered_at: 'registered at',
  failure: 'failure',
};
const historyColumns = { version: 'version', action: 'how', by: 'by', live_from: 'live from', live_until: 'until' };

/** `mlapi admin models versions|register|promote|rollback`: the model registry. */
export function registerModelVersionCommands(models: Command): void {
  models
    .command('versions')
    .description("List a service's registered model versions, their states, and which version was live when")
    .addArgument(serviceArg())
    .addHelpText('after', '\nExamples:\n  $ mlapi admin models versions v1\n  $ mlapi admin models versions v2 --json')
    .action(async (service: ServiceVersion, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const reply = await ctx.signedIn().models.versions.query({ service });
      if (ctx.json) return printJson(reply);
      const r = reply.rollout;
      const rollout = !r
        ? ''
        : r.mode === 'shadow'
          ? `; ${r.candidate} is its shadow`
          : `; ${r.candidate} is a ${r.percent}% canary`;
      out(`${service}: ${reply.live ? `${reply.live} is live` : 'no live version'}${rollout}`);
      printTable(
        reply.items.map((v) => ({ ...v, sha256: short(v.sha256), registered_by: v.registered_by ?? '(server)' })),
        versionColumns,
      );
      out('\nLive when');
      printTable(
        reply.history.map((h) => ({ ...h, by: h.by ?? '(server)', live_until: h.live_until ?? 'now' })),
        historyColumns,
      );
    });

  models
    .command('register')
    .description('Register a model directory as a new version (live once promoted), uploaded from this machine')
    .addArgument(serviceArg())
    .argument('<dir>', "the model's directory: model.onnx and manifest.json, or the built-in model's files")
    .option('--on-server', 'send the path only: the directory is on the server (relative paths from its repository)')
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi admin models register v2 ./candidates/house-1.2.0
  $ mlapi admin models register v1 /models/spam-2.0.0 --on-server --json
The directory's files are uploaded (up to the server's MAX_UPLOAD_BYTES). The server checks the model as a reload
does: refused (exit 1, the reason) when it does not load, its version exists, or it would change the API.`,
    )
    .action(async (service: ServiceVersion, dir: string, opts: { onServer?: boolean }, cmd: Command) => {
      const ctx = context(cmd);
      const client = ctx.signedIn();
      let v;
      if (opts.onServer) v = await client.models.register.mutate({ service, dir });
      else {
        const files = await readModelDirectory(dir);
        const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
        if (!ctx.json)
          note(`Uploading ${files.length} file${files.length === 1 ? '' : 's'} (${prettyBytes(bytes)}) from ${dir}…`);
        v = await client.models.register.mutate({
          service,
          files: files.map(({ path, content_base64 }) => ({ path, content_base64 })),
        });
      }
      if (ctx.json) return printJson(v);
      out(`Registered ${service} ${v.name} ${v.version} (sha256 ${short(v.sha256)}).`);
      out(`  Try it beside the live version: mlapi admin models deploy ${service} ${v.version} --shadow`);
      out(`  Make it live:                   mlapi admin models promote ${service} ${v.version}`);
    });

  models
    .command('promote')
    .description('Make a registered version live on every replica; the version live before is kept to roll back to')
    .addArgument(serviceArg())
    .argument('<version>', 'the version to make live')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin models promote v2 1.2.0\n  $ mlapi admin models promote v1 1.1.0 --json',
    )
    .action(async (service: ServiceVersion, version: string, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const reply = await ctx.signedIn().models.promote.mutate({ service, version });
      if (ctx.json) return printJson(reply);
      out(
        reply.changed
          ? `${service}: ${reply.previous} → ${reply.live}, live now${reply.rollout_ended ? ` (the rollout of ${reply.rollout_ended} ended)` : ''}. Undo: mlapi admin models rollback ${service}`
          : `${service}: ${reply.live} was already live; nothing changed.`,
      );
    });

  models
    .command('rollback')
    .description(
      'Stop the running rollout; without one, make the version live before the current one live again (the current one returns to registered)',
    )
    .addArgument(serviceArg())
    .addHelpText('after', '\nExamples:\n  $ mlapi admin models rollback v2\n  $ mlapi admin models rollback v1 --json')
    .action(async (service: ServiceVersion, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const reply = await ctx.signedIn().models.rollback.mutate({ service });
      if (ctx.json) return printJson(reply);
      out(
        reply.rollout_ended
          ? `${service}: the rollout of ${reply.rollout_ended} stopped; ${reply.live} answers everyone.`
          : `${service}: ${reply.previous} → ${reply.live}, live again.`,
      );
    });
}
