import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/app-router.ts';
import { startTestServer, superuser, type TestServer } from '@mlapi/server/testing';

const ham =
  'Subject: Re: patch for the build script\n\nThanks, I applied your patch to the build script and the tests pass now. ' +
  'I will push it to CVS tonight; can you check the config file on your machine too?\n\nCheers, Tom';

describe('tRPC at /trpc', () => {
  let server: TestServer;
  const client = (token?: string) =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${server.url}/trpc`,
          transformer: superjson,
          headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        }),
      ],
    });
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.stop());

  it('logs in and predicts through the same procedures as REST', async () => {
    const { access_token } = await client().auth.token.mutate(superuser);
    const me = await client(access_token).user.me.query();
    expect(me.role).toBe('admin');
    const reply = await client(access_token).ml.v1.predict.mutate({ text: ham });
    expect(reply.category).toBe('ham');
    expect(reply.prediction_id).toBeGreaterThan(0);
  });

  it('bad input is BAD_REQUEST with the zod issues in data, and no stack', async () => {
    const { access_token } = await client().auth.token.mutate(superuser);
    const err = await client(access_token)
      .ml.v2.predict.mutate({ rm: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    const e = err as TRPCClientError<AppRouter>;
    expect(e.data?.code).toBe('BAD_REQUEST');
    expect(e.data?.httpStatus).toBe(400);
    expect((e.data as { issues?: { path: string[] }[] }).issues?.map((i) => i.path[0])).toContain('crim');
    expect(JSON.stringify(e.data)).not.toContain('stack');
  });

  it('no token is UNAUTHORIZED (401)', async () => {
    const err = (await client()
      .user.me.query()
      .catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
    expect(err.data?.httpStatus).toBe(401);
  });
});
