import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  newUser,
  restClient,
  startTestServer,
  superuser,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';

describe.each(testDialects)('admin on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  let adminId: number;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    api = restClient(server.url);
    admin = await login(api, superuser.username, superuser.password);
    adminId = (await api.get('/user', admin)).body.id;
  });
  afterAll(() => server.stop());

  it('a plain user gets 403 on every admin route', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    expect((await api.get('/admin/users', user.token)).status).toBe(403);
    expect((await api.get(`/admin/users/${adminId}`, user.token)).status).toBe(403);
    expect((await api.put(`/admin/users/${user.id}`, { has_access_v2: true }, user.token)).status).toBe(403);
    expect((await api.delete(`/admin/users/${adminId}`, user.token)).status).toBe(403);
    expect((await api.post('/admin/create', newUser(), user.token)).status).toBe(403);
  });

  it('lists users with pagination: items, total, limit, offset', async () => {
    for (let i = 0; i < 3; i++) await api.post('/auth/create', newUser());
    const all = await api.get('/admin/users', admin);
    expect(all.status).toBe(200);
    expect(all.body.limit).toBe(50);
    expect(all.body.total).toBeGreaterThanOrEqual(4);
    const page = await api.get('/admin/users?limit=2&offset=1', admin);
    expect(page.body).toMatchObject({ limit: 2, offset: 1, total: all.body.total });
    expect(page.body.items.map((u: { id: number }) => u.id)).toEqual(
      all.body.items.slice(1, 3).map((u: { id: number }) => u.id),
    );
    expect((await api.get('/admin/users?limit=501', admin)).status).toBe(422);
    expect((await api.get('/admin/users?offset=-1', admin)).status).toBe(422);
  });

  it('reads one user; an absent one is 404 and a bad id 422', async () => {
    expect((await api.get(`/admin/users/${adminId}`, admin)).body.username).toBe(superuser.username);
    expect((await api.get('/admin/users/999999', admin)).status).toBe(404);
    expect((await api.get('/admin/users/abc', admin)).status).toBe(422);
  });

  it('updates rights with 204; each field is optional and a role in the body changes nothing', async () => {
    const user = await userWithRights(api, admin);
    expect((await api.put(`/admin/users/${user.id}`, { is_active: true, role: 'admin' }, admin)).status).toBe(204);
    expect((await api.get(`/admin/users/${user.id}`, admin)).body).toMatchObject({
      is_active: true,
      has_access_v1: false,
      role: 'user',
    });
    expect((await api.put(`/admin/users/${user.id}`, { has_access_v2: true }, admin)).status).toBe(204);
    expect((await api.get(`/admin/users/${user.id}`, admin)).body).toMatchObject({
      is_active: true,
      has_access_v2: true,
    });
    expect((await api.put('/admin/users/999999', { is_active: true }, admin)).status).toBe(404);
    expect((await api.put(`/admin/users/${user.id}`, { is_active: 'yes' }, admin)).status).toBe(422);
  });

  it('deletes a user with 204, then 404', async () => {
    const user = await userWithRights(api, admin);
    expect((await api.delete(`/admin/users/${user.id}`, admin)).status).toBe(204);
    expect((await api.delete(`/admin/users/${user.id}`, admin)).status).toBe(404);
  });

  it('deleting a user empties their inputs and keeps the anonymous counts; it is audited', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const secret = 'my private mail to my bank';
    const predicted = await api.post('/mlservice/v1/predict', { text: secret }, user.token);
    expect(predicted.status).toBe(200);
    const id = predicted.body.prediction_id as number;
    expect((await api.post('/mlservice/v1/feedback', { prediction_id: id, actual: 'ham' }, user.token)).status).toBe(
      200,
    );
    const usage = async () => (await api.get('/admin/analytics/usage', admin)).body as { total: number };
    const metrics = async () => (await api.get('/mlservice/v1/metrics', admin)).body as unknown;
    const [totalBefore, metricsBefore] = [(await usage()).total, await metrics()];
    const sql = server.deps.db.sql;
    const inputs = async () => [
      ...(await sql.read('select input from prediction_logs where id = ?', [id])),
      ...(await sql.read('select input, owner_id from labelled_examples where prediction_id = ?', [id])),
    ];
    const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
    expect((await inputs()).map((r) => json(r.input))).toEqual([{ text: secret }, { text: secret }]);

    expect((await api.delete(`/admin/users/${user.id}`, admin)).status).toBe(204);
    const after = await inputs();
    expect(after.map((r) => json(r.input))).toEqual([{}, {}]);
    expect(after[1]!.owner_id).toBeNull();
    expect((await usage()).total).toBe(totalBefore);
    expect(await metrics()).toEqual(metricsBefore);
    const audit = (await api.get(`/admin/audit?user_id=${user.id}`, admin)).body as { items: { action: string }[] };
    expect(audit.items[0]?.action).toMatch(/delete/);
  });

  it('an admin cannot delete, deactivate or demote themself', async () => {
    expect((await api.delete(`/admin/users/${adminId}`, admin)).status).toBe(403);
    expect((await api.put(`/admin/users/${adminId}`, { is_active: false }, admin)).status).toBe(403);
    expect((await api.put(`/admin/users/${adminId}/role`, { role: 'user' }, admin)).status).toBe(403);
    expect((await api.get('/user', admin)).body).toMatchObject({ role: 'admin', is_active: true });
  });

  it('creates another admin (active, both rights); a plain user cannot; duplicates are 409', async () => {
    const body = newUser();
    const res = await api.post('/admin/create', body, admin);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'admin', is_active: true, has_access_v1: true, has_access_v2: true });
    expect((await api.post('/admin/create', body, admin)).status).toBe(409);
    const second = await login(api, body.username, body.password);
    expect((await api.get('/admin/users', second)).status).toBe(200);
  });

  it('roles change only through /role; the other admin can be demoted, the last one cannot', async () => {
    const body = newUser();
    const created = await api.post('/admin/create', body, admin);
    const other = await login(api, body.username, body.password);
    expect((await api.put(`/admin/users/${created.body.id}/role`, { role: 'user' }, admin)).status).toBe(204);
    expect((await api.get('/admin/users', other)).status).toBe(403);
    expect((await api.put(`/admin/users/${created.body.id}/role`, { role: 'admin' }, admin)).status).toBe(204);
    expect((await api.get('/admin/users', other)).status).toBe(200);
    expect((await api.put(`/admin/users/${created.body.id}/role`, { role: 'root' }, admin)).status).toBe(422);
  });

  it('another admin may delete the superuser, but no admin can remove themself', async () => {
    const body = newUser();
    const created = await api.post('/admin/create', body, admin);
    const other = await login(api, body.username, body.password);
    expect((await api.delete(`/admin/users/${created.body.id}`, other)).status).toBe(403);
    expect((await api.delete(`/admin/users/${adminId}`, other)).status).toBe(204);
    expect((await api.get('/user', admin)).status).toBe(401);
    expect((await api.get('/admin/users', other)).status).toBe(200);
  });
});
