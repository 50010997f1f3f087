import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { house } from './fixtures.ts';

describe.each(testDialects)('labelled data chosen for training on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  const ids: Record<string, number[]> = { ada: [], bob: [] };
  const users: Record<string, { id: number; token: string }> = {};

  beforeAll(async () => {
    ({ server, api, admin } = await signedInServer(dialect));
    for (const name of ['ada', 'bob']) {
      const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
      users[name] = user;
      // Three predictions each, two with feedback: two labelled examples per user.
      for (let i = 0; i < 3; i++) {
        const p = await api.post('/mlservice/v2/predict', { ...house, rm: 5 + i }, user.token);
        expect(p.status).toBe(200);
        if (i < 2) {
          const fb = { prediction_id: p.body.prediction_id, actual: 20000 + i };
          expect((await api.post('/mlservice/v2/feedback', fb, user.token)).status).toBe(200);
          ids[name]!.push(p.body.prediction_id);
        }
      }
    }
  });
  afterAll(() => server.stop());

  const flag = (body: object, token = admin) => api.put('/admin/datasets/v2/train-data', body, token);
  const flagged = async () =>
    (
      await server.deps.db.sql.read(
        'select prediction_id from labelled_examples where is_train_data = ? order by prediction_id',
        [dialect === 'sqlite' ? 1 : true],
      )
    ).map((r) => Number(r.prediction_id));

  it('flags the examples the filters select, answering how many matched and changed', async () => {
    const some = await flag({ is_train_data: true, prediction_ids: [ids.ada![0], ids.bob![1]] });
    expect(some.status).toBe(200);
    expect(some.body).toEqual({ service: 'v2', is_train_data: true, matched: 2, changed: 2 });
    expect(await flagged()).toEqual([ids.ada![0], ids.bob![1]]);
    // Again: the same two match, none changes.
    expect((await flag({ is_train_data: true, prediction_ids: [ids.ada![0], ids.bob![1]] })).body).toMatchObject({
      matched: 2,
      changed: 0,
    });
    // One user's, then every example of the service; a prediction without feedback is no example.
    expect((await flag({ is_train_data: true, user_id: users.ada!.id })).body).toMatchObject({
      matched: 2,
      changed: 1,
    });
    expect((await flag({ is_train_data: true })).body).toMatchObject({ matched: 4, changed: 1 });
    expect((await flag({ is_train_data: false, from: '2000-01-01', to: '2001-01-01' })).body).toMatchObject({
      matched: 0,
      changed: 0,
    });
    const version = (await api.get('/admin/models/v2/versions', admin)).body.live as string;
    expect((await flag({ is_train_data: false, model_version: version })).body).toMatchObject({
      matched: 4,
      changed: 4,
    });
    expect(await flagged()).toEqual([]);
    expect((await api.put('/admin/datasets/v1/train-data', { is_train_data: true }, admin)).body).toMatchObject({
      service: 'v1',
      matched: 0,
    });
  });

  it('is audited with how many ids were named, not the ids', async () => {
    await flag({ is_train_data: true, prediction_ids: ids.bob });
    const [audit] = (await api.get('/admin/audit?limit=1', admin)).body.items;
    expect(audit).toMatchObject({
      action: 'datasets.flag',
      details: { service: 'v2', is_train_data: true, prediction_ids_named: 2 },
    });
    expect(audit.details.prediction_ids).toBeUndefined();
  });

  it.each([
    [{}, 'is_train_data'],
    [{ is_train_data: 'yes' }, 'is_train_data'],
    [{ is_train_data: true, prediction_ids: [] }, 'prediction_ids'],
    [{ is_train_data: true, prediction_ids: Array(10_001).fill(1) }, 'prediction_ids'],
    [{ is_train_data: true, from: '2026-02-01', to: '2026-01-01' }, 'from'],
    [{ is_train_data: true, from: 'yesterday' }, 'from'],
    [{ is_train_data: true, user_id: -1 }, 'user_id'],
  ])('%j is a 422 naming %s', async (body, field) => {
    const reply = await flag(body);
    expect(reply.status).toBe(422);
    expect(JSON.stringify(reply.body)).toContain(field);
  });

  it('is for admins only', async () => {
    expect((await flag({ is_train_data: true }, users.ada!.token)).status).toBe(403);
    expect((await flag({ is_train_data: true }, 'no token')).status).toBe(401);
  });
});
