import { PredictionLog, ServiceCall } from '@mlapi/db';
import { createTestDatabase } from '@mlapi/db/testing';
import { openDatabase } from '@mlapi/db';
import { afterAll, describe, expect, it } from 'vitest';
import { login, restClient, superuser, type Reply } from '@mlapi/server/testing';
import { spawnServer } from './spawn-server.ts';
import { house } from './fixtures.ts';

describe('graceful shutdown', () => {
  const database = createTestDatabase('sqlite');
  afterAll(() => database.drop());

  it('SIGTERM under load: in-flight requests finish, every acknowledged call is stored, exit code 0', async () => {
    const server = await spawnServer({ DATABASE_URL: database.url });
    const api = restClient(server.url);
    const token = await login(api, superuser.username, superuser.password);
    const batch = { items: Array.from({ length: 300 }, () => house) };
    const inFlight = Array.from({ length: 12 }, () =>
      api
        .post('/mlservice/v2/predict/batch', batch, token)
        .then((r) => r.status)
        .catch(() => 'refused' as const),
    );
    await new Promise((r) => setTimeout(r, 50));
    const code = await server.stop('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(code).toBe(0);
    const acknowledged = statuses.filter((s) => s === 200).length;
    expect(acknowledged).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 'refused')).toBe(true);

    const db = await openDatabase(database.url);
    try {
      const stored = await db.fork().count(ServiceCall, { success: true, serviceVersion: 'v2' });
      expect(stored).toBeGreaterThanOrEqual(acknowledged);
    } finally {
      await db.close();
    }
  });

  it('SIGTERM amid many small calls (group commit): every acknowledged prediction id is stored', async () => {
    const database2 = createTestDatabase('sqlite');
    const server = await spawnServer({
      DATABASE_URL: database2.url,
      DEFAULT_CALLS_PER_MINUTE: '0',
      DEFAULT_CALLS_PER_DAY: '0',
    });
    try {
      const api = restClient(server.url);
      const token = await login(api, superuser.username, superuser.password);
      const acknowledged: number[] = [];
      const statuses: (number | 'refused')[] = [];
      let calls = 0;
      const client = async () => {
        for (;;) {
          const reply: Reply | null = await api
            .post('/mlservice/v1/predict', { text: `hello ${calls++}` }, token)
            .catch(() => null);
          statuses.push(reply ? reply.status : 'refused');
          if (!reply) return;
          if (reply.status === 200) acknowledged.push(reply.body.prediction_id);
          else return;
        }
      };
      const clients = Array.from({ length: 30 }, client);
      while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 20));
      const code = await server.stop('SIGTERM');
      await Promise.all(clients);
      expect(code).toBe(0);
      expect(statuses.filter((s) => s !== 200 && s !== 'refused')).toEqual([]);

      const db = await openDatabase(database2.url);
      try {
        const em = db.fork();
        expect(await em.count(PredictionLog, { id: { $in: acknowledged } })).toBe(acknowledged.length);
        expect(await em.count(ServiceCall, { success: true, serviceVersion: 'v1' })).toBeGreaterThanOrEqual(
          acknowledged.length,
        );
      } finally {
        await db.close();
      }
    } finally {
      await server.stop();
      await database2.drop();
    }
  });
});
