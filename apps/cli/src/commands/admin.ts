import { roles, serviceVersions, serviceVersionSchema, type Role } from '@mlapi/schemas';
import { allItems, pages, type MlapiClient, type UpdateRightsInput, type UserDto } from '@mlapi/sdk';
import { Argument, type Command } from 'commander';
import { z } from 'zod';
import { context, parseOptions, type Ctx } from '../context.ts';
import { UsageError } from '../errors.ts';
import { note, notePage, out, printJson, printRecord, printTable } from '../output.ts';
import { canPrompt, confirm } from '../prompt.ts';
import { parseRegisterOptions, registrationBody } from './auth.ts';
import { registerAdminDatasets } from './datasets.ts';
import { registerDrift } from './drift.ts';
import { registerAdminModels } from './models.ts';
import { registerStats } from './stats.ts';
import { pageFlags, pageOptions, userColumns } from './user.ts';
import { commandDescriptions } from '../command-descriptions.ts';

/** `<user>` is an id or a username (e-mail); an e-mail is looked up through the pages of admin.list. */
export async function resolveUser(client: MlapiClient, ref: string): Promise<UserDto> {
  if (/^\d+$/.test(ref)) return client.admin.byId.query({ user_id: Number(ref) });
  const wanted = ref.trim().toLowerCase();
  if (!wanted.includes('@'))
    throw new UsageError(`<user> must be a user id or an e-mail address, got ${JSON.stringify(ref)}`);
  for await (const user of allItems(client.admin.list, { limit: 500 })) if (user.username === wanted) return user;
  throw new Error(`no user named ${wanted}`);
}

const services = z.array(serviceVersionSchema).min(1);
const grantOptions = z.object({ activate: z.boolean().default(false) });
const listOptions = pageOptions.extend({ all: z.boolean().default(false) });
const quotaValue = z
  .union([z.literal('default').transform(() => null), z.coerce.number().int().min(0)], {
    error: (iss) =>
      `${String(iss.path?.[0] ?? 'the limit')} must be a whole number of calls (0 = unlimited) or "default"`,
  })
  .optional();
const quotaOptions = z.object({ perMinute: quotaValue, perDay: quotaValue });

/** The user's new state after an update, shown like `admin users` shows it. */
async function report(ctx: Ctx, client: MlapiClient, userId: number, what: string) {
  const user = await client.admin.byId.query({ user_id: userId });
  if (ctx.json) return printJson(user);
  out(what);
  printTable([user], userColumns);
}

async function update(ctx: Ctx, ref: string, change: Omit<UpdateRightsInput, 'user_id'>, what: (u: UserDto) => string) {
  const client = ctx.signedIn();
  const user = await resolveUser(client, ref);
  await client.admin.update.mutate({ user_id: user.id, ...change });
  await report(ctx, client, user.id, what(user));
}

/** A quota as set: a number, 0 = unlimited, null = the server's default. */
const limit = (n: number | null) => (n === null ? 'server default' : n === 0 ? 'unlimited' : n);

const userArg = () => new Argument('<user>', 'user id or e-mail');

/** `admin users`: a page of users, or all of them with --all. */
function registerUserList(admin: Command): void {
  pageFlags(admin.command('users'))
    .description('List users: id, username, role, whether active, v1/v2 rights')
    .option('--all', 'every user, page after page')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin users --limit 20 --offset 40\n  $ mlapi admin users --all --json',
    )
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const opts = parseOptions(listOptions, cmd.opts());
      const client = ctx.signedIn();
      const { all, ...paging } = opts;
      let page = await client.admin.list.query(all ? { ...paging, limit: 500 } : paging);
      if (all) {
        // The rest by cursor: `total` is only "at least" past 10,000 users, next_cursor is null on the last page.
        const items = [...page.items];
        if (page.next_cursor)
          for await (const next of pages(client.admin.list, { limit: 500 }, page.next_cursor))
            items.push(...next.items);
        page = { ...page, items, limit: items.length, next_cursor: null };
      }
      if (ctx.json) return printJson(page);
      printTable(page.items, userColumns);
      notePage(page, 'users');
    });
}

/** `admin grant`: rights to model services, optionally activating the account. */
function registerGrant(admin: Command): void {
  admin
    .command('grant')
    .description('Grant access to model services')
    .addArgument(userArg())
    .addArgument(new Argument('<services...>', 'v1 and/or v2').choices(serviceVersions))
    .option('--activate', 'also activate the account')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin grant ada@example.com v1 --activate\n  $ mlapi admin grant 7 v1 v2',
    )
    .action(async (ref: string, list: string[], _opts, cmd: Command) => {
      const ctx = context(cmd);
      const which = parseOptions(services, list);
      const { activate } = parseOptions(grantOptions, cmd.opts());
      const change = {
        ...(which.includes('v1') ? { has_access_v1: true } : {}),
        ...(which.includes('v2') ? { has_access_v2: true } : {}),
        ...(activate ? { is_active: true } : {}),
      };
      await update(
        ctx,
        ref,
        change,
        (u) => `Granted ${which.join(' and ')} to ${u.username}${activate ? ' and activated the account' : ''}.`,
      );
    });
}

/** `admin revoke`: takes rights to model services away. */
function registerRevoke(admin: Command): void {
  admin
    .command('revoke')
    .description('Revoke access to model services (effective on the next request)')
    .addArgument(userArg())
    .addArgument(new Argument('<services...>', 'v1 and/or v2').choices(serviceVersions))
    .addHelpText('after', '\nExample:\n  $ mlapi admin revoke ada@example.com v1 v2')
    .action(async (ref: string, list: string[], _opts, cmd: Command) => {
      const ctx = context(cmd);
      const which = parseOptions(services, list);
      const change = {
        ...(which.includes('v1') ? { has_access_v1: false } : {}),
        ...(which.includes('v2') ? { has_access_v2: false } : {}),
      };
      await update(ctx, ref, change, (u) => `Revoked ${which.join(' and ')} from ${u.username}.`);
    });
}

/** `admin activate` and `admin deactivate`: switch an account on or off. */
function registerActivation(admin: Command): void {
  for (const [name, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    admin
      .command(name)
      .description(active ? 'Activate an account' : 'Deactivate an account (it keeps its rights but cannot use them)')
      .addArgument(userArg())
      .addHelpText('after', `\nExample:\n  $ mlapi admin ${name} ada@example.com`)
      .action(async (ref: string, _opts, cmd: Command) =>
        update(
          context(cmd),
          ref,
          { is_active: active },
          (u) => `${active ? 'Activated' : 'Deactivated'} ${u.username}.`,
        ),
      );
  }
}

/** `admin role`: changes a user's role. */
function registerRole(admin: Command): void {
  admin
    .command('role')
    .description("Change a user's role (you cannot change your own; the last admin stays)")
    .addArgument(userArg())
    .addArgument(new Argument('<role>', 'new role').choices(roles))
    .addHelpText('after', '\nExample:\n  $ mlapi admin role ada@example.com admin')
    .action(async (ref: string, role: Role, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const client = ctx.signedIn();
      const user = await resolveUser(client, ref);
      await client.admin.updateRole.mutate({ user_id: user.id, role });
      await report(ctx, client, user.id, `${user.username} is now ${role === 'admin' ? 'an admin' : 'a user'}.`);
    });
}

/** `admin delete`: deletes a user, after asking unless --yes. */
function registerDelete(admin: Command): void {
  admin
    .command('delete')
    .description('Delete a user (their service calls stay, without an owner); asks first unless --yes')
    .addArgument(userArg())
    .option('-y, --yes', 'delete without asking (needed when stdin is not a terminal)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin delete ada@example.com\n  $ mlapi admin delete 7 --yes   # in a script',
    )
    .action(async (ref: string, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const { yes } = parseOptions(z.object({ yes: z.boolean().default(false) }), cmd.opts());
      if (!yes && !canPrompt())
        throw new UsageError('admin delete cannot be undone: pass --yes to delete without a terminal to confirm on');
      const client = ctx.signedIn();
      const user = await resolveUser(client, ref);
      if (!yes && !(await confirm(`Delete ${user.username} (id ${user.id})? This cannot be undone.`))) {
        note('Nothing deleted.');
        return;
      }
      await client.admin.delete.mutate({ user_id: user.id });
      if (ctx.json) printJson({ deleted: user });
      else out(`Deleted ${user.username} (id ${user.id}).`);
    });
}

/** `admin quota`: sets a user's call quota per service. */
function registerQuota(admin: Command): void {
  admin
    .command('quota')
    .description("Set a user's call quota per service (per minute / per day); 'default' = the server's, 0 = unlimited")
    .addArgument(userArg())
    .option('--per-minute <n>', "calls per minute per service, or 'default'")
    .option('--per-day <n>', "calls per day per service, or 'default'")
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin quota ada@example.com --per-minute 60 --per-day 5000\n  $ mlapi admin quota 7 --per-minute default',
    )
    .action(async (ref: string, _opts, cmd: Command) => {
      const ctx = context(cmd);
      const { perMinute, perDay } = parseOptions(quotaOptions, cmd.opts());
      if (perMinute === undefined && perDay === undefined) throw new UsageError('give --per-minute and/or --per-day');
      const client = ctx.signedIn();
      const user = await resolveUser(client, ref);
      await client.admin.updateQuota.mutate({ user_id: user.id, calls_per_minute: perMinute, calls_per_day: perDay });
      const now = await client.admin.byId.query({ user_id: user.id });
      if (ctx.json) return printJson(now);
      out(`Quota of ${now.username} (per service):`);
      printRecord({ 'calls per minute': limit(now.calls_per_minute), 'calls per day': limit(now.calls_per_day) });
    });
}

/** `admin audit`: the audit log of admin actions. */
function registerAudit(admin: Command): void {
  pageFlags(admin.command('audit'))
    .description('The audit log of admin actions, newest first')
    .option('--user <user>', 'only actions on this user (id or e-mail)')
    .addHelpText('after', '\nExamples:\n  $ mlapi admin audit\n  $ mlapi admin audit --user ada@example.com --json')
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const opts = cmd.opts<{ user?: string }>();
      const paging = parseOptions(pageOptions, cmd.opts());
      const client = ctx.signedIn();
      const user_id = opts.user
        ? /^\d+$/.test(opts.user)
          ? Number(opts.user)
          : (await resolveUser(client, opts.user)).id
        : undefined;
      const page = await client.admin.audit.query({ ...paging, user_id });
      if (ctx.json) return printJson(page);
      printTable(page.items, {
        created_at: 'when',
        actor_username: 'who',
        action: 'what',
        target_username: 'whom',
        details: 'details',
      });
      notePage(page, 'entries');
    });
}

/** `admin create-admin`: creates another admin. */
function registerCreateAdmin(admin: Command): void {
  admin
    .command('create-admin')
    .description('Create another admin (active, with both rights)')
    .option('-u, --username <email>', 'e-mail address used as username')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .option('--country <country>', 'country (optional)')
    .option('--password-stdin', 'read the password from the first line of stdin instead of prompting')
    .addHelpText(
      'after',
      '\nExample:\n  $ mlapi admin create-admin --username grace@example.com --first-name Grace --last-name Hopper',
    )
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const client = ctx.signedIn();
      const body = await registrationBody(parseRegisterOptions(cmd.opts()));
      const user = await client.admin.createAdmin.mutate(body);
      if (ctx.json) printJson(user);
      else printRecord(user, userColumns);
    });
}

export function registerAdmin(program: Command): void {
  const admin = program
    .command('admin')
    .description(commandDescriptions.admin)
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin users\n  $ mlapi admin grant ada@example.com v1 v2 --activate\n  $ mlapi admin revoke 7 v2',
    );

  registerUserList(admin);
  registerGrant(admin);
  registerRevoke(admin);
  registerActivation(admin);
  registerRole(admin);
  registerDelete(admin);
  registerQuota(admin);
  registerAudit(admin);
  registerCreateAdmin(admin);
  registerStats(admin, resolveUser);
  registerAdminModels(admin);
  registerAdminDatasets(admin);
  registerDrift(admin);
}
