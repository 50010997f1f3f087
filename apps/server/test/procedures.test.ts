import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../src/core/context.ts';
import { appRouter } from '../src/app-router.ts';
import { createCallerFactory } from '../src/core/procedures.ts';
import { procedureMetas } from '../src/http/openapi/procedure-meta.ts';
import { startTestServer, superuser, type TestServer } from '@mlapi/server/testing';

const createCaller = createCallerFactory(appRouter);

describe('procedures through createCaller', () => {
  let server: TestServer;
  const caller = (token?: string) =>
    createCaller(createContextInner(server.deps, { authorization: token && `Bearer ${token}` }));
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.stop());

  it('every REST route declares whether it needs a token, through its base procedure', () => {
    const routes = procedureMetas(appRouter).filter((p) => p.meta.openapi);
    expect(routes.length).toBeGreaterThan(10);
    for (const { path, meta } of routes) expect(typeof meta.authRequired, path).toBe('boolean');
    const open = routes
      .filter((r) => !r.meta.authRequired)
      .map((r) => r.path)
      .sort();
    expect(open).toEqual(['auth.register', 'auth.token', 'health.check', 'ml.v1.health', 'ml.v2.health']);
  });

  it('protected procedures refuse a context without credentials', async () => {
    await expect(caller().user.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(caller().admin.list({ limit: 10, offset: 0 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a signed-in user without rights is FORBIDDEN from the service and from admin routes', async () => {
    const admin = await caller().auth.token(superuser);
    const registered = await caller().auth.register({
      username: 'caller@example.com',
      first_name: 'C',
      last_name: 'D',
      password: 'pass1234',
    });
    await caller(admin.access_token).admin.update({ user_id: registered.id, is_active: true });
    const { access_token } = await caller().auth.token({ username: 'caller@example.com', password: 'pass1234' });
    await expect(caller(access_token).ml.v2.predict({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller(access_token).admin.list({ limit: 10, offset: 0 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
