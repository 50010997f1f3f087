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
    [{ is_train_data: true, prediction_ids: Array.from({ length: 10_001 }, (_, i) => i + 1) }, 'prediction_ids'],
    [{ is_train_data: true, from: '2026-02-01', to: '2026-01-01' }, 'from'],
    [{ is_train_data: true, from: 'yesterday' }, 'from'],
    [{ is_train_data: true, user_id: -1 }, 'user_id'],
  ])('a body with %# is a 422 naming %s', async (body, field) => {
    const reply = await flag(body);
    expect(reply.status).toBe(422);
    expect(JSON.stringify(reply.body)).toContain(field);
  });

  it('is for admins only', async () => {
    expect((await flag({ is_train_data: true }, users.ada!.token)).status).toBe(403);
    expect((await flag({ is_train_data: true }, 'no token')).status).toBe(401);
  });

  /** GET of the export: status, content type and the body as text. */
  const exported = async (query: string, token = admin) => {
    const res = await fetch(`${server.url}/admin/datasets/v2${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('streams every labelled example as JSONL, or only those flagged for training', async () => {
    await flag({ is_train_data: false });
    await flag({ is_train_data: true, prediction_ids: [ids.bob![0]] });
    const all = await exported('');
    expect(all.status).toBe(200);
    expect(all.type).toBe('application/jsonl; charset=utf-8');
    const lines = all.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.prediction_id)).toEqual([...ids.ada!, ...ids.bob!]);
    expect(lines[0]).toEqual({
      prediction_id: ids.ada![0],
      model_version: expect.any(String),
      input: { ...house, rm: 5 },
      output: { price: expect.any(Number) },
      predicted: lines[0].output.price,
      actual: 20000,
      user_id: users.ada!.id,
      predicted_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      feedback_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      is_train_data: false,
    });
    const train = await exported('?train_only=true');
    expect(
      train.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).prediction_id),
    ).toEqual([ids.bob![0]]);
    expect((await exported('?from=2099-01-01')).text).toBe('');
    const head = await fetch(`${server.url}/admin/datasets/v2`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect([head.status, head.headers.get('content-type'), head.headers.get('cache-control')]).toEqual([
      200,
      'application/jsonl; charset=utf-8',
      'no-store',
    ]);
  });

  it('as CSV: a header row, then one row per example, objects as JSON text', async () => {
    const csv = await exported('?format=csv&train_only=true');
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    const [header, row, ...rest] = csv.text.trimEnd().split('\n');
    expect(header).toBe(
      'prediction_id,model_version,input,output,predicted,actual,user_id,predicted_at,feedback_time,is_train_data',
    );
    expect(rest).toEqual([]);
    expect(row).toMatch(new RegExp(`^${ids.bob![0]},[^,]+,"\\{""`));
    expect(row).toContain(`""crim"":${house.crim}`);
    expect(row).toMatch(/,20000,\d+,[^,]+,[^,]+,true$/);
  });

  it.each([
    ['?format=xml', 'format'],
    ['?train_only=maybe', 'train_only'],
    ['?from=2026-02-01&to=2026-01-01', 'from'],
  ])('an export with %s is a 422 naming %s', async (query, field) => {
    const reply = await exported(query);
    expect(reply.status).toBe(422);
    expect(reply.text).toContain(field);
  });

  it('an export is for admins only', async () => {
    expect((await exported('', users.ada!.token)).status).toBe(403);
    expect((await exported('', 'no token')).status).toBe(401);
    expect(
      (await fetch(`${server.url}/admin/datasets/v3`, { headers: { authorization: `Bearer ${admin}` } })).status,
    ).toBe(422);
  });
});
