import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { hamMail, house } from './fixtures.ts';

describe.each(testDialects)('GET /user/history shows what each call predicted, on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => ({ server, api, admin } = await signedInServer(dialect)));
  afterAll(() => server.stop());

  it('a single prediction with its id and output, a batch with its first id and count, a refused call with neither', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const single = (await api.post('/mlservice/v1/predict', { text: hamMail }, user.token)).body;
    const batch = (
      await api.post(
        '/mlservice/v1/predict/batch',
        { items: [{ text: hamMail }, { text: hamMail }, { text: hamMail }] },
        user.token,
      )
    ).body;
    expect((await api.post('/mlservice/v2/predict', house, user.token)).status).toBe(403);
    const history = await api.get('/user/history', user.token);
    expect(history.status).toBe(200);
    const [refused, batched, one] = history.body.items;
    expect(refused).toMatchObject({
      service_version: 'v2',
      success: false,
      prediction_id: null,
      predictions: 0,
      result: null,
    });
    expect(batched).toMatchObject({
      success: true,
      prediction_id: batch.items[0].prediction_id,
      predictions: 3,
      result: null,
    });
    expect(one).toMatchObject({
      success: true,
      prediction_id: single.prediction_id,
      predictions: 1,
      result: { category: single.category, probability: single.probability },
    });
  });
});
