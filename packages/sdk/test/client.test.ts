import { createServer } from 'node:net';
import { v2ExampleInput } from '@mlapi/schemas';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { newUser, startTestServer, superuser, type TestServer } from '@mlapi/server/testing';
import { createClient, isMlapiError, type MlapiClient, type V1Prediction, type V2Input } from '../src/index.ts';
import { failure } from './failure.ts';

const ham =
  'Subject: Re: minutes from Tuesday\n\nHi Tom, thanks for sending the minutes from the planning meeting. ' +
  'I went through them this morning and added two comments about the budget for the next quarter. ' +
  'Could we go over them on Thursday after lunch? Best regards, Anna';
const house: V2Input = v2ExampleInput;

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

let server: TestServer;
let admin: MlapiClient;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  admin = createClient({ url: server.url });
  await admin.login(superuser.username, superuser.password);
});
afterAll(() => server?.stop());

describe('createClient', () => {
  it('logs in, keeps the token, and calls typed procedures', async () => {
    const client = createClient({ url: `${server.url}/` });
    expect(client.url).toBe(server.url);
    expect(client.token).toBeUndefined();
    const reply = await client.login(superuser.username, superuser.password);
    expect(reply.token_type).toBe('bearer');
    expect(client.token).toBe(reply.access_token);
    const me = await client.user.me.query();
    expectTypeOf(me.role).toEqualTypeOf<'admin' | 'user'>();
    expect(me).toMatchObject({ username: superuser.username, role: 'admin', is_active: true });
  });

  it('an API key works like a token, for the services it is scoped to', async () => {
    const created = await admin.apiKeys.create.mutate({ name: 'sdk test', services: ['v2'] });
    const scripted = createClient({ url: server.url, apiKey: created.key });
    expect((await scripted.ml.v2.predict.mutate(house)).price).toBeGreaterThan(0);
    const denied = await failure(scripted.ml.v1.predict.mutate({ text: ham }));
    expect(denied.status).toBe(403);
    await admin.apiKeys.revoke.mutate({ key_id: created.id });
    expect((await failure(scripted.user.me.query())).status).toBe(401);
  });

  it('accepts a token given up front, and forgets it on logout', async () => {
    const client = createClient({ url: server.url, token: admin.token });
    expect((await client.user.me.query()).username).toBe(superuser.username);
    client.logout();
    const err = await failure(client.user.me.query());
    expect(err.status).toBe(401);
  });

  it('sends an apiKey as a bearer credential (the server answers 401 until it issues keys)', async () => {
    let sent: string | null = null;
    const client = createClient({
      url: server.url,
      apiKey: 'mlk_not_a_real_key',
      fetch: (input, init) => {
        sent = new Headers(init?.headers).get('authorization');
        return fetch(input, init);
      },
    });
    const err = await failure(client.user.me.query());
    expect(sent).toBe('Bearer mlk_not_a_real_key');
    expect(err.code).toBe('UNAUTHORIZED');
    expect(() => createClient({ url: server.url, token: 'a', apiKey: 'b' })).toThrow(/either token or apiKey/);
  });

  it('predicts with both models once the rights are granted, batching calls', async () => {
    const user = newUser();
    const created = await createClient({ url: server.url }).auth.register.mutate(user);
    await admin.admin.update.mutate({ user_id: created.id, is_active: true, has_access_v1: true, has_access_v2: true });
    const client = createClient({ url: server.url });
    await client.login(user.username, user.password);
    const [v1, v2] = await Promise.all([
      client.ml.v1.predict.mutate({ text: ham }),
      client.ml.v2.predict.mutate(house),
    ]);
    expectTypeOf(v1).toEqualTypeOf<V1Prediction>();
    expect(v1.category).toBe('ham');
    expect(v1.prediction_id).toBeGreaterThan(0);
    expect(v2.price).toBeGreaterThan(5_000);
    const batch = await client.ml.v1.batch.mutate({ items: [{ text: ham }, { text: ham }] });
    expect(batch.count).toBe(2);
    const history = await client.user.history.query({ limit: 10, offset: 0 });
    expect(history.total).toBe(3);
  });
});

describe('MlapiError', () => {
  it('is a 401 UNAUTHORIZED for a wrong password', async () => {
    const err = await failure(createClient({ url: server.url }).login(superuser.username, 'wrong password'));
    expect(isMlapiError(err)).toBe(true);
    expect(err).toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
      message: 'Incorrect username or password',
      issues: [],
    });
  });

  it('is a 403 FORBIDDEN naming the missing right', async () => {
    const user = newUser();
    await createClient({ url: server.url }).auth.register.mutate(user);
    const client = createClient({ url: server.url });
    await client.login(user.username, user.password);
    const err = await failure(client.ml.v1.predict.mutate({ text: ham }));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.status).toBe(403);
    expect(err.path).toBe('ml.v1.predict');
    expect(err.message).toMatch(/inactive|v1/i);
  });

  it('is a 400 BAD_REQUEST with the failing fields', async () => {
    const err = await failure(admin.ml.v2.predict.mutate({ ...house, rm: 12, chas: 2 as 0 }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.status).toBe(400);
    expect(err.issues.map((i) => i.path.join('.')).sort()).toEqual(['chas', 'rm']);
    expect(err.issues.find((i) => i.path[0] === 'rm')?.message).toMatch(/rm must be <= 9/);
  });

  it('is a 409 CONFLICT for a duplicate username', async () => {
    const err = await failure(admin.auth.register.mutate(newUser({ username: superuser.username })));
    expect(err).toMatchObject({ code: 'CONFLICT', status: 409 });
  });

  it('is a NETWORK_ERROR naming the URL when nothing listens there', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const err = await failure(createClient({ url }).health.check.query());
    expect(err).toMatchObject({ code: 'NETWORK_ERROR', status: 0, url });
    expect(err.message).toBe(`could not reach the mlapi server at ${url}: connection refused`);
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => createClient({ url: 'localhost:8080' })).toThrow(/not an http\(s\) server URL|not a valid server URL/);
  });
});
