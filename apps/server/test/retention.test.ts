import { openDatabase } from '@mlapi/db';
import { createTestDatabase, testDialects } from '@mlapi/db/testing';
import { describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './spawn-server.ts';

const dayMs = 86_400_000;

async function signIn(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'superuser@example.com', password: '8888' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe.each(testDialects)('the server prunes raw logs past RETENTION_DAYS on %s', { timeout: 60_000 }, (dialect) => {
  it('soon after start: old calls and predictions go, the rest and the analytics stay', async () => {
    const database = createTestDatabase(dialect);
    try {
      let server = await spawnServer({ DATABASE_URL: database.url, RETENTION_DAYS: '0' });
      const token = await signIn(server);
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.url}/mlservice/v1/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ text: `message ${i}` }),
        });
        expect(res.status).toBe(200);
      }
      expect(await server.stop()).toBe(0);

      // Two of the three calls made 40 days ago, as far as the raw rows say.
      const db = await openDatabase(database.url);
      const old = db.sql.value(new Date(Date.now() - 40 * dayMs));
      const count = async (table: string) =>
        Number((await db.sql.read(`select count(*) as n from ${table}`, []))[0]?.n);
      try {
        const ids = (await db.sql.read('select id from service_calls order by id limit 2', [])).map((r) => r.id);
        await db.sql.write('update service_calls set request_time = ? where id in (?, ?)', [old, ...ids]);
        await db.sql.write('update prediction_logs set created_at = ? where service_call_id in (?, ?)', [old, ...ids]);

        server = await spawnServer({ DATABASE_URL: database.url, RETENTION_DAYS: '30' });
        try {
          const deadline = Date.now() + 15_000;
          while ((await count('service_calls')) > 1 && Date.now() < deadline)
            await new Promise((done) => setTimeout(done, 100));
          expect(await count('service_calls')).toBe(1);
          expect(await count('prediction_logs')).toBe(1);
          // The rollups were written when the calls were made: they still count all three.
          const usage = await fetch(`${server.url}/admin/analytics/usage`, {
            headers: { authorization: `Bearer ${await signIn(server)}` },
          });
          expect(((await usage.json()) as { total: number }).total).toBe(3);
        } finally {
          expect(await server.stop()).toBe(0);
        }
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  });
});
