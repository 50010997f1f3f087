import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { house } from './fixtures.ts';

describe('REST binding', () => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => ({ server, api, admin } = await signedInServer('sqlite')));
  afterAll(() => server.stop());

  it('strings are not coerced behind the schema: "false" is not a boolean', async () => {
    const user = await userWithRights(api, admin);
    const res = await api.put(`/admin/users/${user.id}`, { is_active: 'false', has_access_v1: 'true' }, admin);
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['has_access_v1', 'is_active']);
    expect((await api.get(`/admin/users/${user.id}`, admin)).body.has_access_v1).toBe(false);
  });

  it('null and string features are refused, not read as 0', async () => {
    const res = await api.post('/mlservice/v2/predict', { ...house, crim: null, zn: '0' }, admin);
    expect(res.status).toBe(422);
    expect(res.body.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['crim', 'zn']);
  });

  it('a body that is a JSON array or a string is a 400, never a 500', async () => {
    expect((await api.post('/mlservice/v2/predict', [house], admin)).status).toBe(400);
    expect((await api.post('/auth/create', 'hello')).status).toBe(400);
  });

  it('a request target that is not a URL is a 400, and the server keeps answering', async () => {
    const { port } = new URL(server.url);
    const reply = await new Promise<string>((done, fail) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.end('GET //% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => done(text));
      socket.on('error', fail);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect((await api.get('/healthz')).status).toBe(200);
  });

  it('a known path with the wrong method is a 405 listing the allowed ones', async () => {
    const res = await api.call('PATCH', '/admin/users/1', { body: {}, token: admin });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('PUT');
  });

  it('path parameters are validated: a non-numeric id is a 422 naming user_id', async () => {
    const res = await api.get('/admin/users/abc', admin);
    expect(res.status).toBe(422);
    expect(res.body.issues[0].path).toEqual(['user_id']);
  });

  it('success statuses follow the contract: 201 create, 204 with an empty body', async () => {
    const user = await userWithRights(api, admin);
    const res = await fetch(`${server.url}/admin/users/${user.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ is_active: true }),
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });
});
