import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, superuser, type TestServer } from '@mlapi/server/testing';
import { house, mlapi, newHome } from './helpers.ts';

describe.each(testDialects)('mlapi admin drift (%s)', (dialect) => {
  let server: TestServer;
  const home = newHome();
  const asAdmin = (args: string[], input?: string) => mlapi(args, { home, url: server.url, input });

  beforeAll(async () => {
    const { server: started, api, admin } = await signedInServer(dialect);
    server = started;
    const houses = [house, { ...house, rm: 8.9 }, { ...house, rm: 8.8 }, { ...house, rm: 8.7 }];
    expect((await api.post('/mlservice/v2/predict/batch', { items: houses }, admin)).status).toBe(200);
    const r = await asAdmin(['login', '--username', superuser.username, '--password-stdin'], `${superuser.password}\n`);
    expect(r.code).toBe(0);
  });
  afterAll(() => server?.stop());

  it('prints a row per feature and one for the predictions, with PSI and status', async () => {
    const r = await asAdmin(['admin', 'drift', 'v2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^v2 1\.1\.0, .* → .*: alert \(PSI warn 0\.1, alert 0\.25\)$/);
    // Piped: tab-separated rows, no header. Four copies of one tract but for rm: every feature is far off.
    const rm = lines.find((l) => l.startsWith('rm\t'))!.split('\t');
    expect(rm[2]).toBe('alert');
    expect(rm[3]).toBe('4');
    expect(lines.at(-1)!.startsWith('(prediction)\t')).toBe(true);
    expect(lines).toHaveLength(1 + 12 + 1);
  });

  it('--json prints the reply; --from after --to is refused naming from (exit 2)', async () => {
    const r = await asAdmin(['admin', 'drift', 'v2', '--from', '2026-01-01', '--to', '2026-02-01', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ service: 'v2', status: 'ok', from: '2026-01-01T00:00:00.000Z' });
    const bad = await asAdmin(['admin', 'drift', 'v2', '--from', '2026-02-01', '--to', '2026-01-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('from');
  });
});
