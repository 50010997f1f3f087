import { serviceVersionSchema } from '@mlapi/schemas';
import type { MlapiClient, UserDto } from '@mlapi/sdk';
import type { Command } from 'commander';
import { z } from 'zod';
import { barChart, compressZeros } from '../bars.ts';
import { context, parseOptions } from '../context.ts';
import { note, out, printJson, printRecord, printTable } from '../output.ts';

const unitMs = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `7d` → milliseconds; hours (h), days (d) or weeks (w). */
const durationSchema = z
  .string()
  .regex(/^\d+[hdw]$/, 'use a number and a unit: 24h, 7d or 2w')
  .transform((s) => Number(s.slice(0, -1)) * unitMs[s.slice(-1) as keyof typeof unitMs]);

const statsOptions = z.object({
  since: durationSchema.optional(),
  user: z.string().min(1).optional(),
  service: serviceVersionSchema.optional(),
  tz: z.string().min(1).optional(),
});

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const ms = (x: number | null) => (x === null ? '—' : `${Math.round(x * 10) / 10} ms`);

export function registerStats(
  admin: Command,
  resolveUser: (client: MlapiClient, ref: string) => Promise<UserDto>,
): void {
  admin
    .command('stats')
    .description(
      'Usage of the model services: totals, success rate, calls per day, hour and weekday, latency, top users',
    )
    .option('--since <duration>', 'the window up to now: 24h, 7d, 2w (default: the server default, 30 days)')
    .option('--user <user>', 'only this user (id or e-mail)')
    .option('--service <service>', 'only this service: v1 or v2')
    .option('--tz <zone>', 'IANA time zone for days and hours (default UTC)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mlapi admin stats --since 7d\n  $ mlapi admin stats --user ada@example.com --service v1 --tz Europe/Paris --json',
    )
    .action(async (_opts, cmd: Command) => {
      const ctx = context(cmd);
      const opts = parseOptions(statsOptions, cmd.opts());
      const client = ctx.signedIn();
      const user = opts.user ? await resolveUser(client, opts.user) : undefined;
      const reply = await client.analytics.usage.query({
        from: opts.since === undefined ? undefined : new Date(Date.now() - opts.since).toISOString(),
        user_id: user?.id,
        service: opts.service,
        tz: opts.tz,
      });
      if (ctx.json) return printJson(reply);
      out(
        `Usage from ${reply.from} to ${reply.to} (${reply.tz})${user ? ` for ${user.username}` : ''}${reply.service ? ` on ${reply.service}` : ''}`,
      );
      printRecord({
        calls: reply.total,
        successes: reply.successes,
        failures: reply.failures,
        'success rate': pct(reply.success_rate),
        ...(reply.latency_ms
          ? {
              'latency p50': ms(reply.latency_ms.p50),
              'latency p95': ms(reply.latency_ms.p95),
              'latency p99': ms(reply.latency_ms.p99),
              'latency max': ms(reply.latency_ms.max),
            }
          : { latency: '— (kept per service, not per user)' }),
      });
      printTable(reply.by_service, { service: 'service', calls: 'calls', successes: 'successes' });
      if (reply.total === 0) return note('No calls in this window.');
      // Quiet stretches are one line each (`08h–23h │ 0`); days before the first call and after the last are left out.
      out('\nCalls per day');
      out(
        barChart(
          compressZeros(
            reply.per_day.map((d) => ({ label: d.date, value: d.total })),
            true,
          ),
        ),
      );
      out('\nCalls by hour of day');
      out(
        barChart(compressZeros(reply.by_hour.map((value, h) => ({ label: `${String(h).padStart(2, '0')}h`, value })))),
      );
      out('\nCalls by weekday');
      out(barChart(compressZeros(reply.by_weekday.map((value, d) => ({ label: weekdays[d]!, value })))));
      out('\nTop users');
      if (reply.top_users.length === 0) note('No calls by a current user in this window.');
      else printTable(reply.top_users, { user_id: 'id', username: 'username', calls: 'calls' });
    });
}
