import { setTimeout as sleep } from 'node:timers/promises';
import { createRepositories, openDatabase, type Database, type Repositories } from '@mlapi/db';
import { createTestDatabase } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, restClient, superuser, userWithRights, type RestClient } from '@mlapi/server/testing';
import { spawnServer, type ServerProcess } from './spawn-server.ts';
import { hamMail } from './fixtures.ts';
import { callsAcross, minuteKey, minuteTestTimeout, roomInMinute, statusCounts } from './quota-calls.ts';

/** How soon every replica honours a change to a user (CONTRACTS: rights within 100 ms of the writer's reply). */
const rightsBoundMs = 100;

describe('quotas across server processes on one PostgreSQL database', () => {
  const database = createTestDatabase('postgresql');
  const replicas: ServerProcess[] = [];
  let a: RestClient;
  let b: RestClient;
  let admin: string;
  let db: Database;
  let data: Repositories;
  beforeAll(async () => {
    replicas.push(
      ...(await Promise.all([
        spawnServer({ DATABASE_URL: database.url }),
        spawnServer({ DATABASE_URL: database.url }),
      ])),
    );
    [a, b] = replicas.map((r) => restClient(r.url)) as [RestClient, RestClient];
    admin = await login(a, superuser.username, superuser.password);
    db = await openDatabase(database.url, { migrate: 'verify' });
    data = createRepositories(db);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await db?.close();
    await database.drop();
  });

  const userWithQuota = async (quota: { calls_per_minute?: number; calls_per_day?: number }) => {
    const user = await userWithRights(a, admin, { is_active: true, has_access_v1: true });
    expect((await a.put(`/admin/users/${user.id}/quota`, quota, admin)).status).toBe(204);
    return user;
  };

  it(
    'limit 100 a minute, two replicas, 400 concurrent calls: exactly 100 admitted; a third replica started mid-window admits none',
    async () => {
      await roomInMinute(40_000);
      const user = await userWithQuota({ calls_per_minute: 100 });
      const replies = await callsAcross([a, b], 400, user.token);
      expect(statusCounts(replies)).toEqual({ 200: 100, 429: 300 });
      for (const refused of replies.filter((r) => r.status === 429)) {
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
        expect(refused.body.message).toContain('100 calls per minute');
      }
      expect(await data.quotaLeases.reserved(minuteKey(user.id))).toBe(100);

      const c = await spawnServer({ DATABASE_URL: database.url });
      replicas.push(c);
      expect(statusCounts(await callsAcross([restClient(c.url)], 50, user.token))).toEqual({ 429: 50 });
      expect(statusCounts(await callsAcross([a, b], 20, user.token))).toEqual({ 429: 20 });
      expect(await data.quotaLeases.reserved(minuteKey(user.id))).toBe(100);
    },
    minuteTestTimeout,
  );

  it(
    'units a replica reserved but did not spend go back once it is idle: the other replica can use them',
    async () => {
      await roomInMinute(20_000);
      const user = await userWithQuota({ calls_per_minute: 100 });
      for (let i = 0; i < 40; i++)
        expect((await a.post('/mlservice/v1/predict', { text: hamMail }, user.token)).status).toBe(200);
      // Leases grow while they are used up fast, so a held some units it had not spent.
      expect(await data.quotaLeases.reserved(minuteKey(user.id))).toBeGreaterThan(40);
      await expect
        .poll(() => data.quotaLeases.reserved(minuteKey(user.id)), { timeout: 5_000, interval: 100 })
        .toBe(40);
      expect(statusCounts(await callsAcross([b], 100, user.token))).toEqual({ 200: 60, 429: 40 });
    },
    minuteTestTimeout,
  );

  it(
    'a limit an admin changes takes effect on both replicas, and units reserved under the old limit are not spent',
    async () => {
      await roomInMinute(20_000);
      const user = await userWithQuota({ calls_per_minute: 20 });
      for (let i = 0; i < 8; i++)
        expect((await a.post('/mlservice/v1/predict', { text: hamMail }, user.token)).status).toBe(200);
      // a holds units it has not spent (leases of 1, 2, 4, then 3, a quarter of what was left), which must not be
      // spent under the new limit: 8 spent, 1 to go.
      expect(await data.quotaLeases.reserved(minuteKey(user.id))).toBeGreaterThanOrEqual(10);
      expect((await b.put(`/admin/users/${user.id}/quota`, { calls_per_minute: 9 }, admin)).status).toBe(204);
      // The other replica honours a change to a user within 100 ms of the reply (its rights cache, tested in
      // replicas.test.ts): from then on.
      await sleep(rightsBoundMs);
      expect(statusCounts(await callsAcross([a, b], 20, user.token))).toEqual({ 200: 1, 429: 19 });
      expect((await b.put(`/admin/users/${user.id}/quota`, { calls_per_minute: 30 }, admin)).status).toBe(204);
      await sleep(rightsBoundMs);
      expect(statusCounts(await callsAcross([a, b], 40, user.token))).toEqual({ 200: 21, 429: 19 });
    },
    minuteTestTimeout,
  );

  it('the day window: 30 a day across two replicas admits exactly 30, and says when the day ends', async () => {
    const user = await userWithQuota({ calls_per_minute: 0, calls_per_day: 30 });
    const replies = await callsAcross([a, b], 120, user.token);
    expect(statusCounts(replies)).toEqual({ 200: 30, 429: 90 });
    const refused = replies.find((r) => r.status === 429)!;
    expect(refused.body.message).toContain('30 calls per day');
    const untilMidnight = (86_400_000 - (Date.now() % 86_400_000)) / 1000;
    expect(Math.abs(Number(refused.headers.get('retry-after')) - untilMidnight)).toBeLessThan(30);
  });

  it(
    'a replica that stops gives back the units it had not spent',
    async () => {
      await roomInMinute(20_000);
      const user = await userWithQuota({ calls_per_minute: 100 });
      const c = replicas[2] ?? (await spawnServer({ DATABASE_URL: database.url }));
      const onC = restClient(c.url);
      for (let i = 0; i < 20; i++)
        expect((await onC.post('/mlservice/v1/predict', { text: hamMail }, user.token)).status).toBe(200);
      expect(await data.quotaLeases.reserved(minuteKey(user.id))).toBeGreaterThan(20);
      expect(await c.stop()).toBe(0);
      expect(await data.quotaLeases.reserved(minuteKey(user.id))).toBe(20);
    },
    minuteTestTimeout,
  );
});
