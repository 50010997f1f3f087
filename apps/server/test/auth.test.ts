import { testDialects } from '@mlapi/db/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  newUser,
  restClient,
  startTestServer,
  superuser,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';

const run = promisify(execFile);

describe.each(testDialects)('auth on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    api = restClient(server.url);
  });
  afterAll(() => server.stop());

  it("the seed README's curl login works verbatim", async () => {
    const { stdout } = await run('curl', [
      '-sS',
      '-X',
      'POST',
      `${server.url}/auth/token`,
      '-H',
      'accept: application/json',
      '-H',
      'Content-Type: application/x-www-form-urlencoded',
      '-d',
      'grant_type=&username=superuser%40example.com&password=8888&scope=&client_id=&client_secret=',
    ]);
    const body = JSON.parse(stdout);
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(20 * 60);
    const claims = jwt.decode(body.access_token) as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: expect.any(String),
      username: superuser.username,
      role: 'admin',
      has_access_v1: true,
      has_access_v2: true,
    });
    expect(claims.exp).toBeTypeOf('number');
  });

  it('registration creates an inactive plain user without rights and never returns the hash', async () => {
    const body = newUser();
    const res = await api.post('/auth/create', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      username: body.username,
      first_name: 'Ada',
      last_name: 'Lovelace',
      country: 'UK',
      is_active: false,
      role: 'user',
      has_access_v1: false,
      has_access_v2: false,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/hash|password/);
  });

  it('extra fields such as role and has_access_v1 never take effect on registration', async () => {
    const res = await api.post(
      '/auth/create',
      newUser({ role: 'admin', is_active: true, has_access_v1: true, has_access_v2: true }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'user', is_active: false, has_access_v1: false, has_access_v2: false });
  });

  it('a duplicate username is a 409, whatever its case', async () => {
    const body = newUser();
    expect((await api.post('/auth/create', body)).status).toBe(201);
    const again = await api.post('/auth/create', { ...body, username: body.username.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already registered');
  });

  it('invalid registration input is a 422 naming each failing field', async () => {
    const res = await api.post('/auth/create', { username: 'not-an-email', first_name: '', password: 'x' });
    expect(res.status).toBe(422);
    const paths = res.body.issues.map((i: { path: (string | number)[] }) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['username', 'first_name', 'last_name', 'password']));
    expect(JSON.stringify(res.body)).not.toContain('stack');
  });

  it('a password over 72 bytes is refused with a clear message, not truncated', async () => {
    const res = await api.post('/auth/create', newUser({ password: 'é'.repeat(37) }));
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.issues)).toContain('at most 72 bytes');
  });

  it('login answers the same for an unknown user and a wrong password', async () => {
    const wrong = await api.form('/auth/token', { username: superuser.username, password: 'nope' });
    const unknown = await api.form('/auth/token', { username: 'nobody@example.com', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('login takes JSON too, and an unknown grant_type is a 422', async () => {
    expect(await login(api, superuser.username, superuser.password)).toMatch(/^ey/);
    const res = await api.form('/auth/token', {
      grant_type: 'client_credentials',
      username: superuser.username,
      password: '8888',
    });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].path).toEqual(['grant_type']);
  });

  it('a body that is not JSON is a 400 and an unknown content type a 415', async () => {
    const bad = await fetch(`${server.url}/auth/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(bad.status).toBe(400);
    const xml = await fetch(`${server.url}/auth/create`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<a/>',
    });
    expect(xml.status).toBe(415);
  });

  it('a body over MAX_BODY_BYTES is a 413 naming the limit', async () => {
    const res = await api.post('/auth/create', newUser({ first_name: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('1048576');
  });
});
