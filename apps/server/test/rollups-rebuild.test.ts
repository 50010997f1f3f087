import { spawn } from 'node:child_process';
import { repoRoot } from '@mlapi/db';
import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  restClient,
  startTestServer,
  superuser,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';

/** `npm run analytics:rebuild` against a database, as an operator runs it: its exit code, stdout and stderr. */
function runRebuild(databaseUrl: string, args: string[] = []) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn('npm', ['run', '--silent', 'analytics:rebuild', '--', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe.each(testDialects)('npm run analytics:rebuild on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    api = restClient(server.url);
    admin = await login(api, superuser.username, superuser.password);
    user = (await userWithRights(api, admin, { is_active: true, has_access_v1: true })).token;
  });
  afterAll(() => server?.stop());

  it('rebuilds while the server serves: the figures afterwards are those of the raw rows', async () => {
    let load = true;
    const predict = async () => {
      while (load) await api.post('/mlservice/v1/predict', { text: 'win a free prize now' }, user);
    };
    const clients = [predict(), predict(), predict()];
    while ((await server.deps.db.sql.read('select count(*) as n from service_calls', []))[0]!.n == 0)
      await new Promise((r) => setTimeout(r, 20));
    const rebuild = await runRebuild(server.database.url);
    load = false;
    await Promise.all(clients);

    expect(rebuild.stderr).toMatch(/rollups rebuilt to .* calls\/s/);
    expect(rebuild.stdout).toMatch(/^rebuilt .* calls in/);
    expect(rebuild.code).toBe(0);
    const [raw] = await server.deps.db.sql.read('select count(*) as n from service_calls', []);
    const usage = (await api.get('/admin/analytics/usage', admin)).body;
    expect(usage.total).toBe(Number(raw!.n));
    expect(usage.total).toBeGreaterThan(10);
    expect(usage.latency_ms.count).toBe(usage.successes);

    // Idempotent: a second run changes nothing.
    expect((await runRebuild(server.database.url)).code).toBe(0);
    const again = (await api.get('/admin/analytics/usage', admin)).body;
    expect([again.total, again.by_service, again.latency_ms]).toEqual([
      usage.total,
      usage.by_service,
      usage.latency_ms,
    ]);
  });

  it('refuses bad options with the reason, not a stack', async () => {
    const bad = await runRebuild(server.database.url, ['--from=yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from: expected a date');
    expect(bad.stderr).not.toContain('    at ');
  });
});
