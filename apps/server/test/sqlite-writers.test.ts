import { openDatabase, ServiceCall } from '@mlapi/db';
import { createTestDatabase } from '@mlapi/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { login, restClient, superuser } from '@mlapi/server/testing';
import { spawnServer, type ServerProcess } from './spawn-server.ts';
import { house } from './fixtures.ts';

describe('two server processes writing one SQLite file', () => {
  const database = createTestDatabase('sqlite');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database.drop();
  });

  it('under load from both, every reply is a 2xx or a clean 503 (never SQLITE_BUSY as a 500), and every 2xx is stored', async () => {
    const env = {
      DATABASE_URL: database.url,
      DEFAULT_CALLS_PER_MINUTE: '0',
      DEFAULT_CALLS_PER_DAY: '0',
      DATABASE_TIMEOUT_MS: '2000',
    };
    servers.push(await spawnServer(env)); // the first applies the migrations
    servers.push(await spawnServer(env));
    const token = await login(restClient(servers[0]!.url), superuser.username, superuser.password);

    const replies = (
      await Promise.all(
        servers.flatMap((server) => {
          const api = restClient(server.url);
          return Array.from({ length: 12 }, async (_, c) => {
            const statuses: { status: number; body: any }[] = [];
            for (let i = 0; i < 15; i++) {
              const reply =
                i % 3 === 0
                  ? await api.post('/mlservice/v2/predict/batch', { items: Array(20).fill(house) }, token)
                  : await api.post('/mlservice/v1/predict', { text: `client ${c} message ${i}` }, token);
              statuses.push({ status: reply.status, body: reply.body });
            }
            return statuses;
          });
        }),
      )
    ).flat();

    const unexpected = replies.filter((r) => r.status !== 200 && r.status !== 503);
    expect(unexpected).toEqual([]);
    for (const r of replies.filter((x) => x.status === 503))
      expect(JSON.stringify(r.body)).not.toMatch(/SQLITE|stack/i);
    const ok = replies.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThan(0);

    const db = await openDatabase(database.url);
    try {
      expect(await db.fork().count(ServiceCall, { success: true })).toBe(ok);
    } finally {
      await db.close();
    }
  });
});
