import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newUser,
  signedInServer,
  superuser,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';
import { house } from './fixtures.ts';
import { callsAcross, minuteTestTimeout, roomInMinute, statusCounts } from './quota-calls.ts';

describe.each(testDialects)('quotas, login throttling and the audit log on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(
    async () => ({ server, api, admin } = await signedInServer(dialect, { LOGIN_MAX_FAILURES_PER_USERNAME: '3' })),
  );
  afterAll(() => server.stop());

  it('a per-minute quota set by an admin answers 429 with Retry-After once used up, per service', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true, has_access_v2: true });
    expect((await api.put(`/admin/users/${user.id}/quota`, { calls_per_minute: 2 }, admin)).status).toBe(204);
    expect((await api.get(`/admin/users/${user.id}`, admin)).body.calls_per_minute).toBe(2);
    expect((await api.post('/mlservice/v2/predict', house, user.token)).status).toBe(200);
    expect((await api.post('/mlservice/v2/predict', house, user.token)).status).toBe(200);
    const over = await api.post('/mlservice/v2/predict', house, user.token);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.body.message).toContain('2 calls per minute');
    expect(
      (
        await api.post(
          '/mlservice/v1/predict',
          { text: 'Subject: notes\n\nHere are the notes from the design review, with the action items for next week.' },
          user.token,
        )
      ).status,
    ).toBe(200);
    expect((await api.put(`/admin/users/${user.id}/quota`, { calls_per_minute: 0 }, admin)).status).toBe(204);
    expect((await api.post('/mlservice/v2/predict', house, user.token)).status).toBe(200);
  });

  it(
    'one process, 300 concurrent calls against 100 a minute: exactly 100 admitted, the rest 429',
    async () => {
      await roomInMinute(15_000);
      const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
      expect((await api.put(`/admin/users/${user.id}/quota`, { calls_per_minute: 100 }, admin)).status).toBe(204);
      const replies = await callsAcross([api], 300, user.token);
      expect(statusCounts(replies)).toEqual({ 200: 100, 429: 200 });
      expect(replies.every((r) => r.status === 200 || Number(r.headers.get('retry-after')) > 0)).toBe(true);
    },
    minuteTestTimeout,
  );

  it('failed logins per username are throttled with 429 and Retry-After, even with the right password', async () => {
    const body = newUser();
    await api.post('/auth/create', body);
    for (let i = 0; i < 3; i++)
      expect((await api.post('/auth/token', { username: body.username, password: 'wrong' })).status).toBe(401);
    const blocked = await api.post('/auth/token', { username: body.username, password: body.password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.post('/auth/token', superuser)).status).toBe(200);
  });

  it('admin actions land in the audit log: who, what, whom, when — and outlive a deletion', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    await api.delete(`/admin/users/${user.id}`, admin);
    const log = await api.get(`/admin/audit?user_id=${user.id}`, admin);
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['admin.delete', 'admin.update']);
    expect(log.body.items[1]).toMatchObject({
      actor_username: superuser.username,
      target_username: user.username,
      target_user_id: user.id,
      details: { is_active: true, has_access_v1: true },
    });
    const created = await api.post('/admin/create', newUser(), admin);
    const adminLog = await api.get(`/admin/audit?user_id=${created.body.id}`, admin);
    expect(adminLog.body.items[0]).toMatchObject({
      action: 'admin.createAdmin',
      target_username: created.body.username,
    });
    expect(JSON.stringify(adminLog.body)).not.toContain('correct horse');
    expect((await api.get('/admin/audit', (await userWithRights(api, admin, { is_active: true })).token)).status).toBe(
      403,
    );
  });
});
