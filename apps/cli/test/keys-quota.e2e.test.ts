import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, superuser, type TestServer } from '@mlapi/server/testing';
import { hamMail, mlapi, newHome } from './helpers.ts';

let server: TestServer;
const home = newHome();
const run = (args: string[], opts: { input?: string; env?: Record<string, string | undefined> } = {}) =>
  mlapi(args, { home, url: server.url, ...opts });

beforeAll(async () => {
  server = await startTestServer('sqlite');
  expect(
    (await run(['login', '-u', superuser.username, '--password-stdin'], { input: `${superuser.password}\n` })).code,
  ).toBe(0);
});
afterAll(() => server?.stop());

describe('API keys, quotas and the audit log from the shell', () => {
  it('creates a key scoped to v2, uses it as MLAPI_TOKEN, lists it without the secret, revokes it', async () => {
    const created = await run(['--json', 'keys', 'create', 'nightly', '--services', 'v2']);
    expect(created.code).toBe(0);
    const { key, id } = JSON.parse(created.stdout) as { key: string; id: number };
    expect(key).toMatch(/^mlk_/);

    const viaKey = { env: { MLAPI_TOKEN: key } };
    const v2 = await run(
      [
        '--json',
        'predict',
        'v2',
        '--crim',
        '0.1',
        '--zn',
        '0',
        '--indus',
        '8',
        '--chas',
        '0',
        '--nox',
        '0.5',
        '--rm',
        '6.5',
        '--age',
        '60',
        '--dis',
        '4',
        '--rad',
        '4',
        '--tax',
        '300',
        '--ptratio',
        '18',
        '--lstat',
        '8',
      ],
      viaKey,
    );
    expect(v2.code).toBe(0);
    expect(JSON.parse(v2.stdout).price).toBeGreaterThan(0);
    const v1 = await run(['predict', 'v1', hamMail()], viaKey);
    expect(v1.code).toBe(1);
    expect(v1.stderr).toContain('not scoped to service v1');

    const list = await run(['keys', 'list']);
    expect(list.stdout).toContain('nightly');
    expect(list.stdout).not.toContain(key);

    expect((await run(['keys', 'revoke', String(id)])).code).toBe(0);
    const after = await run(['predict', 'v1', hamMail()], viaKey);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/revoked|mlapi login/i);
  });

  it('sets a quota by e-mail, refuses a bad value as a usage error, and shows it in the audit log', async () => {
    const bad = await run(['admin', 'quota', superuser.username, '--per-minute', 'lots']);
    expect(bad.code).toBe(2);
    const set = await run([
      '--json',
      'admin',
      'quota',
      superuser.username,
      '--per-day',
      '5000',
      '--per-minute',
      'default',
    ]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ calls_per_day: 5000, calls_per_minute: null });
    const audit = await run(['--json', 'admin', 'audit', '--user', superuser.username]);
    const entries = JSON.parse(audit.stdout).items as { action: string; details: Record<string, unknown> }[];
    expect(entries[0]).toMatchObject({ action: 'admin.updateQuota', details: { calls_per_day: 5000 } });
    // Without --json it shows the limits now in force, not just "updated".
    const human = await run(['admin', 'quota', superuser.username, '--per-minute', '0']);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(
      `Quota of ${superuser.username} (per service):\ncalls per minute\tunlimited\ncalls per day\t5000\n`,
    );
    const back = await run(['admin', 'quota', superuser.username, '--per-minute', 'default']);
    expect(back.stdout).toContain('calls per minute\tserver default\n');
  });

  it('pages through keys and the audit log with --cursor, printing the next cursor under a page', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) expect((await run(['keys', 'create', name])).code).toBe(0);
    const first = await run(['keys', 'list', '--limit', '2']);
    const cursor = /Next page: --cursor (\S+)/.exec(first.stderr)?.[1];
    expect(cursor, first.stderr).toBeDefined();
    const json = JSON.parse((await run(['--json', 'keys', 'list', '--limit', '2'])).stdout);
    expect(json.next_cursor).toBe(cursor);
    const second = JSON.parse((await run(['--json', 'keys', 'list', '--limit', '2', '--cursor', cursor!])).stdout);
    expect(second.items.map((k: { id: number }) => k.id).every((id: number) => id < json.items.at(-1).id)).toBe(true);
    const audit = await run(['admin', 'audit', '--limit', '1']);
    const auditCursor = /--cursor (\S+)/.exec(audit.stderr)![1]!;
    expect((await run(['admin', 'audit', '--limit', '1', '--cursor', auditCursor])).code).toBe(0);
    for (const args of [['history'], ['admin', 'users']]) {
      const bad = await run([...args, '--cursor', 'nonsense']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('cursor');
    }
    const last = await run(['keys', 'list', '--limit', '500']);
    expect(last.stderr).not.toContain('Next page');
  });
});
