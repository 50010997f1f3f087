import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { hamMail, house } from './fixtures.ts';

describe.each(testDialects)('API keys on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => ({ server, api, admin } = await signedInServer(dialect)));
  afterAll(() => server.stop());

  it('a key is shown once, works as Bearer and as X-API-Key, only for its services, until revoked', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true, has_access_v2: true });
    const created = await api.post('/user/api-keys', { name: 'nightly job', services: ['v1'] }, user.token);
    expect(created.status).toBe(201);
    const { key, id } = created.body;
    expect(key).toMatch(/^mlk_/);
    expect(created.body).toMatchObject({ name: 'nightly job', services: ['v1'], revoked_at: null });

    const listed = await api.get('/user/api-keys', user.token);
    expect(listed.body.total).toBe(1);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(key.startsWith(listed.body.items[0].prefix)).toBe(true);

    expect((await api.post('/mlservice/v1/predict', { text: hamMail }, key)).status).toBe(200);
    const viaHeader = await fetch(`${server.url}/mlservice/v1/predict`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ text: hamMail }),
    });
    expect(viaHeader.status).toBe(200);
    const outOfScope = await api.post('/mlservice/v2/predict', house, key);
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.body.message).toContain('not scoped to service v2');

    await api.put(`/admin/users/${user.id}`, { has_access_v1: false }, admin);
    expect((await api.post('/mlservice/v1/predict', { text: hamMail }, key)).status).toBe(403);
    await api.put(`/admin/users/${user.id}`, { has_access_v1: true }, admin);

    expect((await api.delete(`/user/api-keys/${id}`, user.token)).status).toBe(204);
    const revoked = await api.post('/mlservice/v1/predict', { text: hamMail }, key);
    expect(revoked.status).toBe(401);
    expect((await api.get('/user/api-keys', user.token)).body.items[0].revoked_at).not.toBeNull();
  });

  it("someone else's key cannot be revoked (404), and a made-up key is a 401", async () => {
    const a = await userWithRights(api, admin, { is_active: true });
    const b = await userWithRights(api, admin, { is_active: true });
    const created = await api.post('/user/api-keys', { name: 'a', services: ['v2'] }, a.token);
    expect((await api.delete(`/user/api-keys/${created.body.id}`, b.token)).status).toBe(404);
    expect((await api.get('/user', 'mlk_nope_nope')).status).toBe(401);
    expect((await api.post('/user/api-keys', { name: '', services: [] }, a.token)).status).toBe(422);
  });
});
