import { createRepositories, openDatabase } from '@mlapi/db';
import { createTestDatabase, testDialects } from '@mlapi/db/testing';
import { v2ExampleInput } from '@mlapi/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInV2Copy, noQuotas, startReplicas } from './fixtures.ts';
import { startServer, type RunningServer } from '../src/app.ts';
import { login, restClient, superuser, testServerEnv, userWithRights, type RestClient } from '@mlapi/server/testing';

/** The model registry as the server keeps it: the shipped models recorded at a database's first start, once. */
describe.each(testDialects)('model versions on %s', (dialect) => {
  const database = createTestDatabase(dialect);
  // The load below is many calls of one user: no quota in the way.
  const start = () => startServer(testServerEnv(database.url, noQuotas));
  let servers: RunningServer[] = [];
  let api: RestClient;
  let admin: string;
  beforeAll(async () => {
    // PostgreSQL: two replicas starting together on an empty database. SQLite: one process, started twice.
    servers = await startReplicas(dialect, database.url);
    api = restClient(servers[0]!.url);
    admin = await login(api, superuser.username, superuser.password);
  });
  afterAll(async () => {
    for (const s of servers) await s.close({ idleGraceMs: 0 });
    await database.drop();
  });

  it('records each shipped model as the first live version, with its files by SHA-256 and its card', async () => {
    const served = (await api.get('/admin/models', admin)).body.items as { service: string; version: string }[];
    for (const service of ['v1', 'v2'] as const) {
      const reply = await api.get(`/admin/models/${service}/versions`, admin);
      expect(reply.status).toBe(200);
      const version = served.find((s) => s.service === service)!.version;
      expect(reply.body).toMatchObject({ service, live: version });
      expect(reply.body.items).toHaveLength(1);
      const [item] = reply.body.items;
      expect(item).toMatchObject({ version, source: 'builtin', state: 'live', failure: null, registered_by: null });
      expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(item.card).toMatchObject({ version });
      for (const file of item.files) expect(file).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(reply.body.history).toEqual([
        { version, action: 'first', by: null, live_from: expect.any(String), live_until: null },
      ]);
    }
    const v1Files = (await api.get('/admin/models/v1/versions', admin)).body.items[0].files;
    expect(v1Files.map((f: { path: string }) => f.path)).toEqual(['v1-spam.json', 'v1-spam.weights.bin']);
    expect(v1Files[1].size).toBeGreaterThan(100_000);
  });

  it('a restart on the same database records nothing new', async () => {
    const again = await start();
    try {
      const reply = await restClient(again.url).get('/admin/models/v2/versions', admin);
      expect(reply.body.items).toHaveLength(1);
      expect(reply.body.history).toHaveLength(1);
    } finally {
      await again.close({ idleGraceMs: 0 });
    }
  });

  it('is for admins only, and names a bad service', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    expect((await api.get('/admin/models/v1/versions', user.token)).status).toBe(403);
    expect((await api.get('/admin/models/v1/versions')).status).toBe(401);
    const bad = await api.get('/admin/models/v3/versions', admin);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('service');
  });

  let answered = 0;
  const versionOf = async (client: RestClient, token: string) => {
    const reply = await client.post('/mlservice/v2/predict', v2ExampleInput, token);
    expect(reply.status).toBe(200);
    answered++;
    return reply.body.model_version as string;
  };

  it('registers a directory, promotes it and rolls it back under load, every replica following, no call failed', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
    answered = 0;
    const first = await versionOf(api, user.token);
    const registered = await api.post('/admin/models/v2/versions', { dir: builtInV2Copy('9.0.0') }, admin);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ version: '9.0.0', state: 'registered', registered_by: superuser.username });
    expect(await versionOf(api, user.token)).toBe(first);

    const statuses: number[] = [];
    let loading = true;
    const clients = servers.flatMap((s) =>
      Array.from({ length: 3 }, async () => {
        const client = restClient(s.url);
        while (loading) statuses.push((await client.post('/mlservice/v2/predict', v2ExampleInput, user.token)).status);
      }),
    );
    try {
      const promoted = await api.post('/admin/models/v2/promote', { version: '9.0.0' }, admin);
      expect(promoted.body).toEqual({
        service: 'v2',
        previous: first,
        live: '9.0.0',
        changed: true,
        rollout_ended: null,
      });
      expect(await versionOf(api, user.token)).toBe('9.0.0');
      // The other replica follows within a second.
      const promotedAt = Date.now();
      for (const s of servers.slice(1)) {
        while ((await versionOf(restClient(s.url), user.token)) !== '9.0.0')
          await new Promise((r) => setTimeout(r, 20));
        expect(Date.now() - promotedAt).toBeLessThan(1000);
      }
      const again = await api.post('/admin/models/v2/promote', { version: '9.0.0' }, admin);
      expect(again.body).toMatchObject({ live: '9.0.0', changed: false });

      const rolledBack = await restClient(servers.at(-1)!.url).post('/admin/models/v2/rollback', undefined, admin);
      expect(rolledBack.body).toEqual({
        service: 'v2',
        previous: '9.0.0',
        live: first,
        changed: true,
        rollout_ended: null,
      });
      for (const s of servers) {
        while ((await versionOf(restClient(s.url), user.token)) !== first) await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      loading = false;
      await Promise.all(clients);
    }
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Every call answered is in the call log (a new user: theirs are exactly these).
    const logged = await api.get('/user/history?limit=1', user.token);
    expect(logged.body.total).toBe(statuses.length + answered);

    const versions = (await api.get('/admin/models/v2/versions', admin)).body;
    expect(versions.live).toBe(first);
    expect(versions.items.map((v: { version: string; state: string }) => [v.version, v.state])).toEqual([
      ['9.0.0', 'registered'],
      [first, 'live'],
    ]);
    expect(versions.history.map((h: { version: string; action: string }) => [h.version, h.action])).toEqual([
      [first, 'rollback'],
      ['9.0.0', 'promote'],
      [first, 'first'],
    ]);
    expect((await api.post('/admin/models/v2/rollback', undefined, admin)).status).toBe(409);
    const audit = (await api.get('/admin/audit?limit=3', admin)).body.items.map((a: { action: string }) => a.action);
    expect(audit).toEqual(['models.rollback', 'models.promote', 'models.promote']);
  });

  it('a promote outlives a restart; refusals name the version, the directory, or the version taken', async () => {
    expect((await api.post('/admin/models/v2/promote', { version: '9.0.0' }, admin)).status).toBe(200);
    const restarted = await start();
    try {
      const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
      expect(await versionOf(restClient(restarted.url), user.token)).toBe('9.0.0');
    } finally {
      await restarted.close({ idleGraceMs: 0 });
    }

    const unknown = await api.post('/admin/models/v2/promote', { version: '7.7.7' }, admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('7.7.7');
    const taken = await api.post('/admin/models/v2/versions', { dir: builtInV2Copy('9.0.0') }, admin);
    expect(taken.status).toBe(409);
    expect(taken.body.message).toContain('9.0.0');
    const missing = await api.post('/admin/models/v2/versions', { dir: '/nonexistent/model' }, admin);
    expect(missing.status).toBe(409);
    expect(missing.body.message).toContain('/nonexistent/model');
    const empty = await api.post('/admin/models/v2/versions', { dir: '' }, admin);
    expect(empty.status).toBe(422);
    expect(JSON.stringify(empty.body)).toContain('dir');
  });

  it('stored bytes that do not match their SHA-256 mark the version failed and the live one keeps serving', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
    const serving = await versionOf(api, user.token);
    const registered = (await api.post('/admin/models/v2/versions', { dir: builtInV2Copy('9.1.0') }, admin)).body;
    await servers[0]!.deps.db.sql.write('update model_files set bytes = ? where sha256 = ?', [
      Buffer.from('{}'),
      registered.files[0].sha256,
    ]);
    const refused = await api.post('/admin/models/v2/promote', { version: '9.1.0' }, admin);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/marked failed.*v2-boston\.json/);
    const failed = (await api.get('/admin/models/v2/versions', admin)).body.items[0];
    expect(failed).toMatchObject({ version: '9.1.0', state: 'failed', failure: expect.stringContaining('SHA-256') });
    expect(await versionOf(api, user.token)).toBe(serving);
  });

  it.runIf(dialect === 'postgresql')(
    'a promote written by another writer (a script, not a replica) is followed by every replica within a second',
    async () => {
      const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
      expect((await api.post('/admin/models/v2/versions', { dir: builtInV2Copy('9.2.0') }, admin)).status).toBe(201);
      const script = await openDatabase(database.url, { migrate: false });
      try {
        const registry = createRepositories(script).modelRegistry;
        await registry.promote((await registry.version('v2', '9.2.0'))!.id, {
          action: 'promote',
          actor: null,
          at: new Date(),
        });
        const promotedAt = Date.now();
        for (const s of servers)
          while ((await versionOf(restClient(s.url), user.token)) !== '9.2.0') {
            expect(Date.now() - promotedAt).toBeLessThan(1000);
            await new Promise((r) => setTimeout(r, 20));
          }
      } finally {
        await script.close();
      }
    },
  );
});
