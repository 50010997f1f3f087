import { ServiceCall } from '@mlapi/db';
import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { house } from './fixtures.ts';

const spam = 'Subject: WIN A FREE PRIZE\n\nClick here now to claim your free money! Limited offer, act now!!!';

describe.each(testDialects)('model services on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => ({ server, api, admin } = await signedInServer(dialect)));
  afterAll(() => server.stop());

  const callsOf = (userId: number) =>
    server.deps.db.fork().find(ServiceCall, { owner: userId }, { orderBy: { id: 'asc' } });

  it('the full flow: denied while inactive, denied without the right, allowed once granted, denied on the next request after revocation', async () => {
    const user = await userWithRights(api, admin);
    const inactive = await api.post('/mlservice/v1/predict', { text: spam }, user.token);
    expect(inactive.status).toBe(403);
    expect(inactive.body.message).toContain('inactive');

    await api.put(`/admin/users/${user.id}`, { is_active: true }, admin);
    const noRight = await api.post('/mlservice/v1/predict', { text: spam }, user.token);
    expect(noRight.status).toBe(403);
    expect(noRight.body.message).toContain('has_access_v1');

    await api.put(`/admin/users/${user.id}`, { has_access_v1: true }, admin);
    const ok = await api.post('/mlservice/v1/predict', { text: spam }, user.token);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      category: 'spam',
      prediction_id: expect.any(Number),
      model_version: expect.any(String),
    });
    expect(ok.body.probability).toBeGreaterThan(0.5);

    await api.put(`/admin/users/${user.id}`, { has_access_v1: false }, admin);
    expect((await api.post('/mlservice/v1/predict', { text: spam }, user.token)).status).toBe(403);

    await api.put(`/admin/users/${user.id}`, { has_access_v1: true, is_active: false }, admin);
    expect((await api.post('/mlservice/v1/predict', { text: spam }, user.token)).status).toBe(403);

    const calls = await callsOf(user.id);
    expect(calls.map((c) => c.success)).toEqual([false, false, true, false, false]);
    expect(calls[0]!.error).toContain('inactive');
  });

  it('v2 predicts a price in dollars from the named features', async () => {
    const res = await api.post('/mlservice/v2/predict', house, admin);
    expect(res.status).toBe(200);
    expect(res.body.price).toBeGreaterThan(10_000);
    expect(res.body.price).toBeLessThan(60_000);
    const richer = await api.post('/mlservice/v2/predict', { ...house, rm: 8.5, lstat: 2 }, admin);
    expect(richer.body.price).toBeGreaterThan(res.body.price);
  });

  it('invalid model input is a 422 naming the field, and the failed call is logged', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true, has_access_v2: true });
    const v2 = await api.post('/mlservice/v2/predict', { ...house, rm: 'many', nox: 7 }, user.token);
    expect(v2.status).toBe(422);
    expect(v2.body.issues.map((i: { path: string[] }) => i.path[0])).toEqual(expect.arrayContaining(['rm', 'nox']));
    const v1 = await api.post('/mlservice/v1/predict', { text: '' }, user.token);
    expect(v1.status).toBe(422);
    expect(v1.body.issues[0].path).toEqual(['text']);
    const calls = await callsOf(user.id);
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => !c.success && c.error?.includes('Invalid input'))).toBe(true);
  });

  it('without a token the service answers 401', async () => {
    expect((await api.post('/mlservice/v1/predict', { text: 'hi' })).status).toBe(401);
  });

  it('history lists your own calls, newest first, paginated', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    for (let i = 0; i < 3; i++) await api.post('/mlservice/v1/predict', { text: `hello number ${i}` }, user.token);
    await api.post('/mlservice/v2/predict', house, user.token);
    const history = await api.get('/user/history', user.token);
    expect(history.status).toBe(200);
    expect(history.body.total).toBe(4);
    expect(history.body.items[0]).toMatchObject({ service_version: 'v2', success: false, owner_id: user.id });
    expect(history.body.items.slice(1).every((c: { success: boolean }) => c.success)).toBe(true);
    const ids = history.body.items.map((c: { id: number }) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const second = await api.get('/user/history?limit=1&offset=1', user.token);
    expect(second.body.items.map((c: { id: number }) => c.id)).toEqual([ids[1]]);
    expect(new Date(history.body.items[0].completion_time) >= new Date(history.body.items[0].request_time)).toBe(true);
  });

  it('under concurrent load every call is logged exactly once', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true, has_access_v2: true });
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 2
          ? api.post('/mlservice/v1/predict', { text: `message ${i}` }, user.token)
          : api.post('/mlservice/v2/predict', house, user.token),
      ),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const ids = new Set(replies.map((r) => r.body.prediction_id));
    expect(ids.size).toBe(60);
    const calls = await callsOf(user.id);
    expect(calls).toHaveLength(60);
    expect(calls.filter((c) => c.serviceVersion === 'v1')).toHaveLength(30);
  });

  it('healthchecks answer without a token', async () => {
    const health = await api.get('/healthcheck');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', database: true });
    for (const v of ['v1', 'v2']) {
      const res = await api.get(`/mlservice/${v}/healthcheck`);
      expect(res.status).toBe(200);
      expect(res.body.model_version).toEqual(expect.any(String));
    }
  });
});
