import type { RegisterInput } from '@mlapi/sdk';
import type { Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions, type Ctx } from '../context.ts';
import { UsageError } from '../errors.ts';
import { formatTime, note, out, printJson, printRecord } from '../output.ts';
import { askNewPassword, askPassword, askText, readStdinLines } from '../prompt.ts';
import { userColumns } from './user.ts';
import { commandDescriptions } from '../command-descriptions.ts';

const loginOptions = z.object({
  username: z.string().trim().min(1).optional(),
  passwordStdin: z.boolean().default(false),
});

/** Logs in and stores the token for this server URL. */
export async function login(ctx: Ctx, opts: z.infer<typeof loginOptions>) {
  const username = opts.username ?? (await askText('Username (e-mail)', '--username'));
  const password = opts.passwordStdin
    ? ((await readStdinLines())[0] ?? '')
    : await askPassword(`Password for ${username}`);
  if (!password) throw new UsageError('the password must not be empty');
  const client = ctx.client();
  const reply = await client.login(username, password);
  const expiresAt = new Date(Date.now() + reply.expires_in * 1000).toISOString();
  ctx.store.set(ctx.url, { token: reply.access_token, username: username.trim().toLowerCase(), expires_at: expiresAt });
  if (ctx.json)
    printJson({
      url: ctx.url,
      username: username.trim().toLowerCase(),
      expires_at: expiresAt,
      credentials: ctx.store.path,
    });
  else
    out(
      `Logged in to ${ctx.url} as ${username}; the token expires at ${formatTime(expiresAt)} (stored in ${ctx.store.path}).`,
    );
}

const registerOptions = z.object({
  username: z.string().trim().min(1).optional(),
  firstName: z.string().trim().min(1).optional(),
  lastName: z.string().trim().min(1).optional(),
  country: z.string().trim().min(1).optional(),
  passwordStdin: z.boolean().default(false),
});
export type RegisterOptions = z.infer<typeof registerOptions>;
export const parseRegisterOptions = (value: unknown) => parseOptions(registerOptions, value);

/** The registration body, prompting (on stderr) for whatever the options leave out. */
export async function registrationBody(opts: RegisterOptions): Promise<RegisterInput> {
  const username = opts.username ?? (await askText('Username (e-mail)', '--username'));
  const first_name = opts.firstName ?? (await askText('First name', '--first-name'));
  const last_name = opts.lastName ?? (await askText('Last name', '--last-name'));
  const password = opts.passwordStdin ? ((await readStdinLines())[0] ?? '') : await askNewPassword('Password');
  return { username, first_name, last_name, password, country: opts.country ?? null };
}

export function registerAuth(program: Command): void {
  program
    .command('login')
    .description(commandDescriptions.login)
    .option('-u, --username <email>', 'your username (prompted for when missing)')
    .option('--password-stdin', 'read the password from the first line of stdin instead of prompting')
    .addHelpText(
      'after',
      `
Examples:
  $ mlapi login --username superuser@example.com
  $ echo "$PASSWORD" | mlapi login --username ada@example.com --password-stdin
  $ mlapi --url https://ml.example.com login`,
    )
    .action(async (_opts, cmd: Command) => login(context(cmd), parseOptions(loginOptions, cmd.opts())));

  program
    .command('logout')
    .description(commandDescriptions.logout)
    .addHelpText('after', '\nExample:\n  $ mlapi logout --url http://localhost:8080')
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const removed = ctx.store.delete(ctx.url);
      if (ctx.json) printJson({ url: ctx.url, logged_out: removed });
      else out(removed ? `Logged out of ${ctx.url}.` : `Not logged in to ${ctx.url}; nothing to do.`);
    });

  program
    .command('register')
    .description(commandDescriptions.register)
    .option('-u, --username <email>', 'e-mail address used as username')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .option('--country <country>', 'country (optional)')
    .option('--password-stdin', 'read the password from the first line of stdin instead of prompting')
    .addHelpText(
      'after',
      `
Example:
  $ mlapi register --username ada@example.com --first-name Ada --last-name Lovelace
  then ask an admin: mlapi admin grant ada@example.com v1 --activate`,
    )
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const body = await registrationBody(parseRegisterOptions(cmd.opts()));
      const user = await ctx.client().auth.register.mutate(body);
      if (ctx.json) return printJson(user);
      printRecord(user, userColumns);
      note('The account is inactive until an admin activates it and grants v1/v2.');
    });
}
