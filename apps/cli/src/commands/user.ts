import type { Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { note, notePage, out, printJson, printRecord, printTable } from '../output.ts';
import { askNewPassword, askPassword, readStdinLines } from '../prompt.ts';
import { commandDescriptions } from '../command-descriptions.ts';

/** A single prediction's output in a few words: `spam 0.994`, `23345` (numbers to three significant places). */
function describeResult(result: Record<string, unknown> | null): string {
  if (!result) return '';
  return Object.values(result)
    .map((v) =>
      typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)))) : String(v),
    )
    .join(' ');
}

export const userColumns = {
  id: 'id',
  username: 'username',
  first_name: 'first name',
  last_name: 'last name',
  country: 'country',
  is_active: 'active',
  role: 'role',
  has_access_v1: 'v1',
  has_access_v2: 'v2',
  created_at: 'created',
};

export const pageOptions = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  cursor: z.string().optional(),
});

/** The page options every list command takes (the server refuses a cursor with an offset, naming cursor). */
export const pageFlags = (command: Command): Command =>
  command
    .option('--limit <n>', 'how many (1–500)', '50')
    .option('--offset <n>', 'how many to skip', '0')
    .option('--cursor <cursor>', 'the page after this next_cursor (printed under each page)');

const passwdOptions = z.object({ passwordStdin: z.boolean().default(false) });

export function registerUser(program: Command): void {
  program
    .command('whoami')
    .description(commandDescriptions.whoami)
    .addHelpText('after', '\nExample:\n  $ mlapi whoami --json')
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const me = await ctx.signedIn().user.me.query();
      if (ctx.json) printJson({ url: ctx.url, ...me });
      else printRecord({ server: ctx.url, ...me }, userColumns);
    });

  program
    .command('passwd')
    .description(commandDescriptions.passwd)
    .option('--password-stdin', 'read the current password (line 1) and the new one (line 2) from stdin')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi passwd\n  $ printf "%s\\n%s\\n" "$OLD" "$NEW" | mlapi passwd --password-stdin',
    )
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const opts = parseOptions(passwdOptions, cmd.opts());
      const client = ctx.signedIn();
      const me = await client.user.me.query();
      let password: string;
      let newPassword: string;
      if (opts.passwordStdin) {
        const lines = await readStdinLines();
        [password = '', newPassword = ''] = lines;
        if (!password || !newPassword)
          throw new UsageError('--password-stdin expects two lines: the current password, then the new one');
      } else {
        password = await askPassword('Current password');
        newPassword = await askNewPassword();
      }
      await client.user.changePassword.mutate({ password, new_password: newPassword });
      const reply = await client.login(me.username, newPassword);
      const expiresAt = new Date(Date.now() + reply.expires_in * 1000).toISOString();
      const stored = ctx.token === undefined;
      if (stored) ctx.store.set(ctx.url, { token: reply.access_token, username: me.username, expires_at: expiresAt });
      if (ctx.json) printJson({ username: me.username, password_changed: true, token_stored: stored });
      else {
        out(`Password changed for ${me.username}.`);
        note(
          stored
            ? 'Older tokens no longer work; a fresh one is stored.'
            : 'Older tokens (including the one you passed) no longer work.',
        );
      }
    });

  pageFlags(program.command('history'))
    .description(commandDescriptions.history)
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi history --limit 20\n  $ mlapi history --cursor WzE3MzM0NDMyMDAwMDAsNDJd',
    )
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const page = await ctx.signedIn().user.history.query(parseOptions(pageOptions, cmd.opts()));
      if (ctx.json) return printJson(page);
      const rows = page.items.map((c) => ({
        ...c,
        duration: Math.round(c.duration * 10) / 10,
        prediction_id:
          c.prediction_id === null
            ? ''
            : c.predictions > 1
              ? `${c.prediction_id} (+${c.predictions - 1})`
              : c.prediction_id,
        result: describeResult(c.result),
      }));
      printTable(rows, {
        id: 'call',
        request_time: 'time',
        service_version: 'service',
        model_version: 'model',
        success: 'ok',
        prediction_id: 'prediction',
        result: 'result',
        duration: 'ms',
        error: 'error',
      });
      notePage(page, 'calls');
    });
}
