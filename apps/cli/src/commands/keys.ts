import { serviceVersionSchema } from '@mlapi/schemas';
import { Argument, type Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { note, notePage, out, printJson, printRecord, printTable } from '../output.ts';
import { pageFlags, pageOptions } from './user.ts';
import { commandDescriptions } from '../command-descriptions.ts';

const keyColumns = {
  id: 'id',
  name: 'name',
  prefix: 'prefix',
  services: 'services',
  created_at: 'created',
  last_used_at: 'last used',
  revoked_at: 'revoked',
};

const createOptions = z.object({
  services: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(serviceVersionSchema).min(1)),
});

/** `mlapi keys …`: API keys for scripts — use one as `--token` / `MLAPI_TOKEN`, like an access token. */
export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description(commandDescriptions.keys)
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi keys create nightly-job --services v1\n  $ MLAPI_TOKEN=mlk_… mlapi predict v1 -  < mail.txt\n  $ mlapi keys revoke 3',
    );

  keys
    .command('create')
    .description('Create a named key scoped to services; the key is shown once')
    .addArgument(new Argument('<name>', 'a name to recognise the key by'))
    .option('--services <list>', 'comma-separated services the key may call', 'v1,v2')
    .addHelpText('after', '\nExample:\n  $ mlapi keys create nightly-job --services v1')
    .action(async (name: string, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const { services } = parseOptions(createOptions, cmd.opts());
      const created = await ctx.signedIn().apiKeys.create.mutate({ name, services });
      if (ctx.json) return printJson(created);
      printRecord({ key: created.key, id: created.id, name: created.name, services: created.services.join(', ') });
      note('Store the key now: it is not shown again.');
    });

  pageFlags(keys.command('list'))
    .description('List your keys (never the secret)')
    .addHelpText('after', '\nExample:\n  $ mlapi keys list')
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const page = await ctx.signedIn().apiKeys.list.query(parseOptions(pageOptions, cmd.opts()));
      if (ctx.json) return printJson(page);
      printTable(
        page.items.map((k) => ({ ...k, services: k.services.join(', ') })),
        keyColumns,
      );
      notePage(page, 'keys');
    });

  keys
    .command('revoke')
    .description('Revoke one of your keys (refused from the next request on)')
    .addArgument(new Argument('<id>', 'the key id (see mlapi keys list)'))
    .addHelpText('after', '\nExample:\n  $ mlapi keys revoke 3')
    .action(async (id: string, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const { key_id } = parseOptions(z.object({ key_id: z.coerce.number().int().positive() }), { key_id: id });
      await ctx.signedIn().apiKeys.revoke.mutate({ key_id });
      if (ctx.json) printJson({ revoked: key_id });
      else out(`Revoked key ${key_id}.`);
    });
}
