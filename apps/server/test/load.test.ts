import { PredictionLog, ServiceCall } from '@mlapi/db';
import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type Reply, type RestClient, type TestServer } from '@mlapi/server/testing';
import { house } from './fixtures.ts';

const clients = 24;
const perClient = 20;

/** One client's i-th request: mostly valid predictions of both services and small batches, some invalid input. */
function request(api: RestClient, token: string, i: number): Promise<Reply> {
  switch (i % 5) {
    case 0:
      return api.post('/mlservice/v2/predict', house, token);
    case 1:
      return api.post('/mlservice/v2/predict/batch', { items: [house, { ...house, rm: 7 }, house] }, token);
    case 2:
      return api.post('/mlservice/v1/predict', { text: 42 }, token);
    default:
      return api.post('/mlservice/v1/predict', { text: `Subject: note ${i}\n\nSee you at ${i} o'clock` }, token);
  }
}

describe.each(testDialects)('load on %s: the call log is exact', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(
    async () =>
      ({ server, api, admin } = await signedInServer(dialect, {
        DEFAULT_CALLS_PER_MINUTE: '0',
        DEFAULT_CALLS_PER_DAY: '0',
      })),
  );
  afterAll(() => server.stop());

  it(`${clients} concurrent clients × ${perClient} calls: one service_calls row per reply, one success row per 2xx, no 5xx`, async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true, has_access_v2: true });
    const replies = (
      await Promise.all(
        Array.from({ length: clients }, async () => {
          const mine: Reply[] = [];
          for (let i = 0; i < perClient; i++) mine.push(await request(api, user.token, i));
          return mine;
        }),
      )
    ).flat();

    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    const ok = replies.filter((r) => r.status >= 200 && r.status < 300);
    expect(replies.filter((r) => r.status === 422)).toHaveLength(replies.length - ok.length);

    const ids = ok.flatMap((r) =>
      r.body.items ? r.body.items.map((x: { prediction_id: number }) => x.prediction_id) : [r.body.prediction_id],
    );
    expect(new Set(ids).size).toBe(ids.length);

    const em = server.deps.db.fork();
    expect(await em.count(ServiceCall, { owner: user.id })).toBe(replies.length);
    expect(await em.count(ServiceCall, { owner: user.id, success: true })).toBe(ok.length);
    const calls = await em.find(ServiceCall, { owner: user.id, success: true });
    expect(await em.count(PredictionLog, { serviceCallId: { $in: calls.map((c) => c.id) } })).toBe(ids.length);
    expect(await em.count(PredictionLog, { id: { $in: ids } })).toBe(ids.length);
  });
});
