import { testDialects } from '@mlapi/db/testing';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  restClient,
  startTestServer,
  superuser,
  testJwtSecret,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';

const base64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe.each(testDialects)('tokens on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  let claims: Record<string, unknown>;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    api = restClient(server.url);
    admin = await login(api, superuser.username, superuser.password);
    const { exp: _exp, iat: _iat, ...rest } = jwt.decode(admin) as Record<string, unknown>;
    claims = rest;
  });
  afterAll(() => server.stop());

  const refused = async (token: string) => {
    const res = await api.get('/user', token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  };

  it('no token, a malformed header and garbage are 401', async () => {
    expect((await api.get('/user')).status).toBe(401);
    expect((await api.call('GET', '/user', { token: 'not.a.token' })).status).toBe(401);
    const basic = await fetch(`${server.url}/user`, { headers: { authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
  });

  it('a valid token reads the profile, at /user and /user/', async () => {
    expect((await api.get('/user', admin)).body.username).toBe(superuser.username);
    expect((await api.get('/user/', admin)).status).toBe(200);
  });

  it('an expired token is refused', async () => {
    await refused(
      jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, testJwtSecret, { algorithm: 'HS256' }),
    );
  });

  it('a token signed with another key is refused', async () => {
    await refused(jwt.sign(claims, 'another-secret-another-secret-another', { algorithm: 'HS256', expiresIn: 600 }));
  });

  it('alg none is refused', async () => {
    await refused(
      `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, exp: Date.now() / 1000 + 600 })}.`,
    );
  });

  it('HS512 signed with the right secret is refused: the algorithm is pinned', async () => {
    await refused(jwt.sign(claims, testJwtSecret, { algorithm: 'HS512', expiresIn: 600 }));
  });

  it('a correctly signed token without exp is refused', async () => {
    await refused(jwt.sign(claims, testJwtSecret, { algorithm: 'HS256' }));
  });

  it('a forged role claim grants nothing: rights come from the database', async () => {
    const user = await userWithRights(api, admin, { is_active: true });
    const { exp: _e, iat: _i, ...mine } = jwt.decode(user.token) as Record<string, unknown>;
    const forged = jwt.sign({ ...mine, role: 'admin', has_access_v1: true }, testJwtSecret, {
      algorithm: 'HS256',
      expiresIn: 600,
    });
    expect((await api.get('/admin/users', forged)).status).toBe(403);
    expect((await api.post('/mlservice/v1/predict', { text: 'hello' }, forged)).status).toBe(403);
  });

  it("a deleted user's token is refused on the next request", async () => {
    const user = await userWithRights(api, admin, { is_active: true });
    expect((await api.get('/user', user.token)).status).toBe(200);
    expect((await api.delete(`/admin/users/${user.id}`, admin)).status).toBe(204);
    await refused(user.token);
  });

  it('a password change ends every older token at once; the new password works', async () => {
    const user = await userWithRights(api, admin, { is_active: true });
    const res = await api.put(
      '/user/password',
      { password: user.password, new_password: 'a new password' },
      user.token,
    );
    expect(res.status).toBe(204);
    await refused(user.token);
    expect((await api.post('/auth/token', { username: user.username, password: user.password })).status).toBe(401);
    const fresh = await login(api, user.username, 'a new password');
    expect((await api.get('/user', fresh)).status).toBe(200);
  });

  it('a password change with the wrong current password is a 403 and changes nothing', async () => {
    const user = await userWithRights(api, admin);
    const res = await api.put('/user/password', { password: 'wrong', new_password: 'whatever1' }, user.token);
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('current password');
    expect((await api.get('/user', user.token)).status).toBe(200);
  });
});
