import { testDialects } from '@mlapi/db/testing';
import { tinyJunkManifest, writeBagOfWordsModel, writeManifest } from '@mlapi/onnx/testing';
import jwt from 'jsonwebtoken';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDatabaseError, databaseInputError, isDatabaseUnavailable } from '@mlapi/db';
import { ServiceCallRecorder } from '../src/features/call-log/service-call-recorder.ts';
import {
  login,
  newUser,
  restClient,
  signedInServer,
  startTestServer,
  superuser,
  testJwtSecret,
  userWithRights,
  type Reply,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';

/** A 422 whose issues name `field` (the path; the message names its last segment), and whose body carries no SQL or stack. */
function expectRefused(res: Reply, field: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  const issue = (res.body.issues as { path: (string | number)[]; message: string }[]).find(
    (i) => i.path.join('.') === field,
  );
  expect(issue, `an issue at ${field} in ${JSON.stringify(res.body.issues)}`).toBeDefined();
  expect(issue!.message).toContain(field.split('.').at(-1));
  expect(JSON.stringify(res.body)).not.toMatch(/stack|select |insert /i);
}

const plainTextRefusal = (field: string) => `${field} must not contain NUL characters or unpaired surrogates`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe.each(testDialects)('security: input the database cannot take (%s)', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  /** The superuser's claims without exp/iat, to sign variants of with the test secret. */
  let claims: Record<string, unknown>;
  const signed = (overrides: Record<string, unknown>) =>
    jwt.sign({ ...claims, exp: nowSeconds() + 600, ...overrides }, testJwtSecret, { algorithm: 'HS256' });

  beforeAll(async () => {
    ({ server, api, admin } = await signedInServer(dialect));
    const { exp: _exp, iat: _iat, ...rest } = jwt.decode(admin) as Record<string, unknown>;
    claims = rest;
  });
  afterAll(() => server.stop());

  describe('1. NUL bytes and lone surrogates', () => {
    it('a NUL in the username at /auth/token is a 422 naming username (JSON and form)', async () => {
      const json = await api.post('/auth/token', { username: 'ada\u0000@example.com', password: 'correct horse' });
      expectRefused(json, 'username');
      expect(json.body.issues[0].message).toBe(plainTextRefusal('username'));
      expectRefused(
        await api.form('/auth/token', { username: 'ada\u0000@example.com', password: 'correct horse' }),
        'username',
      );
    });

    it('a NUL in the username at /auth/create is a 422 naming username', async () => {
      const res = await api.post('/auth/create', newUser({ username: 'ada\u0000@example.com' }));
      expectRefused(res, 'username');
      expect(res.body.issues.map((i: { message: string }) => i.message)).toContain(plainTextRefusal('username'));
    });

    it('a NUL in first_name (and last_name, country) is a 422 naming the field', async () => {
      for (const field of ['first_name', 'last_name', 'country']) {
        const res = await api.post('/auth/create', newUser({ [field]: 'Ad\u0000a' }));
        expectRefused(res, field);
        expect(res.body.issues[0].message).toBe(plainTextRefusal(field));
      }
      expectRefused(await api.post('/admin/create', newUser({ first_name: 'Ad\u0000a' }), admin), 'first_name');
    });

    it('NUL or a lone surrogate in the OAuth2 extras is a 422 naming the field', async () => {
      for (const field of ['scope', 'client_id', 'client_secret'])
        expectRefused(
          await api.form('/auth/token', {
            username: superuser.username,
            password: superuser.password,
            [field]: 'x\u0000',
          }),
          field,
        );
      expectRefused(
        await api.post('/auth/token', { username: superuser.username, password: superuser.password, scope: '\ud800' }),
        'scope',
      );
    });

    it('a lone surrogate in v1 text is a 422 naming text, and the refused call is logged as a failed service_calls row', async () => {
      const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
      // JSON.stringify writes a lone surrogate as the escape "\ud800": the raw JSON a client would send.
      const body = JSON.stringify({ text: 'free money \ud800 now' });
      expect(body).toContain('\\ud800');
      const raw = await fetch(`${server.url}/mlservice/v1/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body,
      });
      const res: Reply = { status: raw.status, body: await raw.json(), headers: raw.headers };
      expectRefused(res, 'text');
      expect(res.body.issues[0].message).toBe(plainTextRefusal('text'));
      expectRefused(await api.post('/mlservice/v1/predict', { text: 'nul \u0000 byte' }, user.token), 'text');
      expectRefused(
        await api.post('/mlservice/v1/predict/batch', { items: [{ text: 'ok' }, { text: '\udfff' }] }, user.token),
        'items.1.text',
      );

      const history = await api.get('/user/history', user.token);
      expect(history.status).toBe(200);
      expect(history.body.total).toBe(3);
      for (const call of history.body.items) {
        expect(call).toMatchObject({ service_version: 'v1', success: false });
        expect(call.error).toContain(plainTextRefusal('text'));
      }
      // A clean call still succeeds afterwards and is logged as such.
      expect((await api.post('/mlservice/v1/predict', { text: 'hello there 😀' }, user.token)).status).toBe(200);
      expect((await api.get('/user/history', user.token)).body.items[0]).toMatchObject({ success: true, error: null });
    });

    it('a NUL in an API key name is a 422 naming name', async () => {
      const res = await api.post('/user/api-keys', { name: 'ci\u0000key', services: ['v1'] }, admin);
      expectRefused(res, 'name');
      expect(res.body.issues[0].message).toBe(plainTextRefusal('name'));
      expect((await api.get('/user/api-keys', admin)).body.total).toBe(0);
    });

    it('a NUL in the metrics model_version is a 422 naming model_version', async () => {
      const res = await api.get('/mlservice/v1/metrics?model_version=v%00', admin);
      expectRefused(res, 'model_version');
      expect(res.body.issues[0].message).toBe(plainTextRefusal('model_version'));
      expect((await api.get('/mlservice/v1/metrics?model_version=v1', admin)).status).toBe(200);
    });

    it('a NUL in the analytics tz is a 422 naming tz', async () => {
      const res = await api.get('/admin/analytics/usage?tz=UTC%00', admin);
      expectRefused(res, 'tz');
      expect(res.body.issues.map((i: { message: string }) => i.message)).toContain(plainTextRefusal('tz'));
    });

    it('a password WITH a NUL still works for registration and login (passwords are hashed, never stored)', async () => {
      const body = newUser({ password: 'pass\u0000word-with-nul' });
      expect((await api.post('/auth/create', body)).status).toBe(201);
      expect(await login(api, body.username, body.password)).toMatch(/^ey/);
      expect((await api.post('/auth/token', { username: body.username, password: 'pass' })).status).toBe(401);
    });

    it('PostgreSQL 08P01 (a statement the server cannot parse) is not an outage; data exceptions are bad input', async () => {
      expect(isDatabaseUnavailable({ code: '08P01' })).toBe(false);
      expect(isDatabaseUnavailable({ code: '08006' })).toBe(true);
      expect(isDatabaseUnavailable({ code: '57P01' })).toBe(true);
      // Real errors of this database: a NUL inlined into the SQL text, and an integer out of range.
      const run = (sql: string) => server.deps.db.orm.em.getConnection().execute(sql);
      const nul = await run(`select 'a\u0000b' as v`).then(
        () => null,
        (e: unknown) => e,
      );
      if (nul) expect(isDatabaseUnavailable(nul)).toBe(false);
      if (dialect === 'postgresql') {
        expect(nul, 'PostgreSQL refuses a NUL in the statement').not.toBeNull();
        const range = await run(`select '3000000000'::int as v`).then(
          () => null,
          (e: unknown) => e,
        );
        expect(isDatabaseUnavailable(range)).toBe(false);
        expect(databaseInputError(classifyDatabaseError(range))?.reason).toMatch(/out of the range/);
      }
      // The server still answers normally afterwards: nothing was taken for an outage.
      expect((await api.get('/healthcheck')).body).toMatchObject({ status: 'ok', database: true });
    });
  });

  describe('1b. a failed success write still leaves its failure row', () => {
    it('recordSuccess marks the call recorded only once committed, so the failure row can be written', async () => {
      const user = await userWithRights(api, admin);
      const owner = { id: user.id } as never;
      const { callLog, db } = server.deps;
      const recorder = new ServiceCallRecorder(
        callLog,
        'v1',
        owner,
        () => new Date(),
        () => 'served-1',
      );
      // A prediction row the database refuses (model_name is NOT NULL): the whole transaction fails.
      const bad = {
        modelName: null as unknown as string,
        modelVersion: 'm1',
        input: { text: 'x' },
        output: { category: 'ham' },
        predicted: 'ham',
      };
      await expect(recorder.recordSuccess([bad])).rejects.toThrow();
      expect(recorder.recorded).toBe(false);
      expect(recorder.predictionCount).toBe(0);
      await recorder.recordFailure('Internal server error');
      expect(recorder.recorded).toBe(true);
      const [row] = await db.sql.read('select success, error, model_version from service_calls where owner_id = ?', [
        user.id,
      ]);
      expect(row).toBeDefined();
      expect(Boolean(row!.success)).toBe(false);
      expect(row!).toMatchObject({ error: 'Internal server error', model_version: 'served-1' });
    });
  });

  describe('2. ids beyond the 32-bit columns', () => {
    it('GET /admin/analytics/usage?user_id=3000000000 is a 422 naming user_id', async () => {
      const res = await api.get('/admin/analytics/usage?user_id=3000000000', admin);
      expectRefused(res, 'user_id');
      expect(res.body.issues[0].message).toBe('user_id must be at most 2147483647');
      expect((await api.get('/admin/analytics/usage?user_id=2147483647', admin)).status).toBe(200);
    });

    it('user ids in paths and queries and API key ids beyond 2147483647, prediction ids beyond 2^53 - 1, are a 422 naming the field', async () => {
      expectRefused(await api.get('/admin/users/3000000000', admin), 'user_id');
      expectRefused(await api.put('/admin/users/2147483648', { is_active: true }, admin), 'user_id');
      expectRefused(await api.get('/admin/audit?user_id=3000000000', admin), 'user_id');
      expectRefused(await api.delete('/user/api-keys/3000000000', admin), 'key_id');
      expectRefused(
        await api.post('/mlservice/v1/feedback', { prediction_id: 2 ** 53, actual: 'spam' }, admin),
        'prediction_id',
      );
      // prediction_logs ids are 64-bit: 2^31 is an id like any other, unknown here.
      expect((await api.post('/mlservice/v2/feedback', { prediction_id: 2 ** 31, actual: 1000 }, admin)).status).toBe(
        404,
      );
      // In range but unknown is still a 404, not a 422.
      expect((await api.get('/admin/users/2147483647', admin)).status).toBe(404);
    });

    it('a signed token whose sub is 3000000000 is a 401', async () => {
      const res = await api.get('/user', signed({ sub: '3000000000' }));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await api.get('/user', signed({ sub: '0' }))).status).toBe(401);
      expect((await api.get('/user', signed({ sub: '2147483648' }))).status).toBe(401);
      // The same claims with the superuser's own sub are accepted: only the sub made the difference.
      expect((await api.get('/user', signed({}))).status).toBe(200);
    });
  });

  describe('3. login and password validation', () => {
    it('a 300-character username at /auth/token is a 422 naming username', async () => {
      const res = await api.post('/auth/token', {
        username: `${'a'.repeat(288)}@example.com`,
        password: 'correct horse',
      });
      expectRefused(res, 'username');
      expect(res.body.issues[0].message).toBe('username must be at most 254 characters');
      expectRefused(
        await api.form('/auth/token', { username: 'b'.repeat(300), password: 'correct horse' }),
        'username',
      );
    });

    it('a presented password over 72 bytes is a 422 at login, not a login on its first 72 bytes', async () => {
      const body = newUser({ password: 'p'.repeat(72) });
      expect((await api.post('/auth/create', body)).status).toBe(201);
      expect(await login(api, body.username, body.password)).toMatch(/^ey/);
      const res = await api.post('/auth/token', { username: body.username, password: `${body.password}x` });
      expectRefused(res, 'password');
      expect(res.body.issues[0].message).toMatch(/password must be at most 72 bytes/);
    });

    it('a current password over 72 bytes at PUT /user/password is a 422 naming password', async () => {
      const user = await userWithRights(api, admin);
      const res = await api.put(
        '/user/password',
        { password: `${user.password}${'x'.repeat(72)}`, new_password: 'a new long password' },
        user.token,
      );
      expectRefused(res, 'password');
      expect((await api.get('/user', user.token)).status).toBe(200);
    });

    it('new passwords need at least 8 characters: registration, POST /admin/create, new_password', async () => {
      const short = await api.post('/auth/create', newUser({ password: '1234567' }));
      expectRefused(short, 'password');
      expect(short.body.issues[0].message).toBe('password must be at least 8 characters');
      expect((await api.post('/auth/create', newUser({ password: '12345678' }))).status).toBe(201);
      expectRefused(await api.post('/admin/create', newUser({ password: 'short' }), admin), 'password');
      const user = await userWithRights(api, admin);
      const change = await api.put('/user/password', { password: user.password, new_password: 'short' }, user.token);
      expectRefused(change, 'new_password');
      expect(change.body.issues[0].message).toBe('new_password must be at least 8 characters');
    });

    it("the current password at login and password change has no minimum: the development superuser's '8888' works", async () => {
      expect(superuser.password).toHaveLength(4);
      const token = await login(api, superuser.username, superuser.password);
      const wrong = await api.put('/user/password', { password: '1234', new_password: 'long enough now' }, token);
      expect(wrong.status).toBe(403);
    });

    it('a token whose iat lies an hour in the future is a 401; 30 s ahead (clock skew) is accepted', async () => {
      const future = await api.get('/user', signed({ iat: nowSeconds() + 3600, exp: nowSeconds() + 4200 }));
      expect(future.status).toBe(401);
      expect((await api.get('/user', signed({ iat: nowSeconds() + 30 }))).status).toBe(200);
      // A token without iat is refused too.
      const noIat = jwt.sign({ ...claims, exp: nowSeconds() + 600 }, testJwtSecret, {
        algorithm: 'HS256',
        noTimestamp: true,
      });
      expect((jwt.decode(noIat) as Record<string, unknown>).iat).toBeUndefined();
      expect((await api.get('/user', noIat)).status).toBe(401);
    });
  });
});

/** An ONNX text model served as v1, its text field named `mail`: the same refusal, naming that field. */
const mailManifest = tinyJunkManifest('0.1.0');

describe.each(testDialects)('security: the text field of an ONNX model (%s)', (dialect) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlapi-security-onnx-'));
  let server: TestServer;
  let api: RestClient;
  beforeAll(async () => {
    await writeBagOfWordsModel(dir, { vocabulary: ['free', 'money'], weights: [1, 2], bias: -1 });
    await writeManifest(dir, mailManifest);
    server = await startTestServer(dialect, { MODEL_DIR_V1: dir });
    api = restClient(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a NUL or lone surrogate in an ONNX text field is a 422 naming the field, logged as a failed call', async () => {
    const admin = await login(api, superuser.username, superuser.password);
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    for (const mail of ['free \u0000 money', 'free \ud800 money']) {
      const res = await api.post('/mlservice/v1/predict', { mail }, user.token);
      expectRefused(res, 'mail');
      expect(res.body.issues[0].message).toBe(plainTextRefusal('mail'));
    }
    expect((await api.post('/mlservice/v1/predict', { mail: 'free money' }, user.token)).body).toMatchObject({
      verdict: 'junk',
      model_version: '0.1.0',
    });
    const history = await api.get('/user/history', user.token);
    expect(history.body.items.map((c: { success: boolean }) => c.success)).toEqual([true, false, false]);
  });
});
