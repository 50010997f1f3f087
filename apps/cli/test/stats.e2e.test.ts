import { rebuildRollups, ServiceCall, User } from '@mlapi/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, restClient, startTestServer, superuser, userWithRights, type TestServer } from '@mlapi/server/testing';
import { mlapi, newHome } from './helpers.ts';

let server: TestServer;
let ada: Awaited<ReturnType<typeof userWithRights>>;
const home = newHome();
const asAdmin = (args: string[], input?: string) => mlapi(args, { home, url: server.url, input });
const hourMs = 3_600_000;

/** Ada: 3 v1 calls (one refused) in the last day and one v2 call 3 days ago; an old call 10 days ago. */
beforeAll(async () => {
  server = await startTestServer('sqlite');
  const api = restClient(server.url);
  ada = await userWithRights(api, await login(api, superuser.username, superuser.password), { is_active: true });
  const em = server.deps.db.fork();
  const owner = em.getReference(User, ada.id);
  const now = Date.now();
  const rows: ['v1' | 'v2', boolean, number, number][] = [
    ['v1', true, now - 1 * hourMs, 10],
    ['v1', true, now - 2 * hourMs, 30],
    ['v1', false, now - 3 * hourMs, 1],
    ['v2', true, now - 72 * hourMs, 20],
    ['v2', true, now - 240 * hourMs, 99],
  ];
  for (const [service, success, at, duration] of rows)
    em.create(ServiceCall, {
      serviceVersion: service,
      success,
      error: success ? null : 'refused',
      owner,
      requestTime: new Date(at),
      completionTime: new Date(at + duration),
      duration,
    });
  await em.flush();
  await rebuildRollups(server.deps.db); // rows written past the call log need their rollups
  const r = await asAdmin(['login', '--username', superuser.username, '--password-stdin'], `${superuser.password}\n`);
  expect(r.code).toBe(0);
});
afterAll(() => server?.stop());

describe('mlapi admin stats', () => {
  it('--json prints the raw usage of the window', async () => {
    const r = await asAdmin(['admin', 'stats', '--since', '7d', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const usage = JSON.parse(r.stdout);
    expect(usage).toMatchObject({
      total: 4,
      successes: 3,
      failures: 1,
      tz: 'UTC',
      latency_ms: { count: 3, max: 30 },
    });
    expect(usage.latency_ms.p50).toBeGreaterThan(20 * 0.9); // read from a histogram: within 10 %
    expect(usage.latency_ms.p50).toBeLessThan(20 * 1.1);
    expect(usage.top_users).toEqual([{ user_id: ada.id, username: ada.username, calls: 4 }]);
    // the window is widened to whole 15-minute buckets
    expect(Date.parse(usage.to) - Date.parse(usage.from)).toBeGreaterThanOrEqual(7 * 24 * hourMs);
    expect(Date.parse(usage.to) - Date.parse(usage.from)).toBeLessThanOrEqual(7 * 24 * hourMs + 30 * 60_000);
  });

  it('filters by user (e-mail) and service, and prints tables and bar charts', async () => {
    const r = await asAdmin(['admin', 'stats', '--since', '24h', '--user', ada.username, '--service', 'v1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`for ${ada.username} on v1`);
    expect(r.stdout).toMatch(/success rate\t66\.7 %/);
    expect(r.stdout).toContain('latency\t— (kept per service, not per user)');
    expect(r.stdout).toContain('Calls per day');
    expect(r.stdout).toMatch(/│█{40} [23]\n/); // the busiest day's bar is full width (3, or 2 past UTC midnight)
    expect(r.stdout).toMatch(/Sun|Mon|Tue|Wed|Thu|Fri|Sat/);
    expect(r.stdout).toMatch(new RegExp(`${ada.id}\\t${ada.username.replace(/[.]/g, '\\.')}\\t3`));
  });

  it('leaves out screens of zero rows: quiet hours and days are compressed, days before the first call dropped', async () => {
    const r = await asAdmin(['admin', 'stats', '--since', '2w']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/latency p50\t(1[89]|2[01])(\.\d)? ms/); // 20 ms, read from a histogram
    expect(r.stdout).toContain('latency max\t99 ms'); // exact
    const section = (title: string) => r.stdout.split(`\n${title}\n`)[1]!.split('\n\n')[0]!.split('\n');
    const hours = section('Calls by hour of day');
    expect(hours.length).toBeLessThanOrEqual(2 * 5 + 1); // 5 hours with calls at most, each between quiet runs: not 24 rows
    expect(hours.some((l) => /^\s*\d\dh–\d\dh │ 0$/.test(l))).toBe(true);
    const days = section('Calls per day');
    expect(days.length).toBeLessThan(14);
    expect(days[0]).not.toMatch(/ 0$/); // the window's quiet first days are not listed
    expect(days.at(-1)).not.toMatch(/ 0$/);
  });

  it('a bad --since is a usage error (exit 2); a bad --tz is the server naming the field', async () => {
    const since = await asAdmin(['admin', 'stats', '--since', 'a week']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since: use a number and a unit');
    const tz = await asAdmin(['admin', 'stats', '--tz', 'Nowhere/Land']);
    expect(tz.code).toBe(1);
    expect(tz.stderr).toContain('Invalid input: tz must be an IANA time-zone name');
  });
});
