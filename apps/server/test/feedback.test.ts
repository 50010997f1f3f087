import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { house } from './fixtures.ts';

describe.each(testDialects)('feedback, metrics and batch on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => ({ server, api, admin } = await signedInServer(dialect)));
  afterAll(() => server.stop());

  it('metrics over no feedback say what is undefined instead of NaN', async () => {
    const res = await api.get('/mlservice/v2/metrics', admin);
    expect(res.status).toBe(200);
    expect(res.body.models).toHaveLength(1);
    expect(res.body.models[0]).toMatchObject({ count: 0, mae: null, r2: null });
    expect(res.body.models[0].undefined_metrics.mae).toBeTruthy();
  });

  it('v2: feedback on your own predictions feeds MAE, RMSE and R²', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
    const actuals = [21000, 30000, 15000];
    const rms = [6.0, 7.0, 5.5];
    const predicted: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await api.post('/mlservice/v2/predict', { ...house, rm: rms[i] }, user.token);
      predicted.push(p.body.price);
      const fb = await api.post(
        '/mlservice/v2/feedback',
        { prediction_id: p.body.prediction_id, actual: actuals[i] },
        user.token,
      );
      expect(fb.status).toBe(200);
      expect(fb.body).toMatchObject({ prediction_id: p.body.prediction_id, actual: actuals[i] });
    }
    const m = (await api.get('/mlservice/v2/metrics', admin)).body.models[0];
    const mae = actuals.reduce((s, a, i) => s + Math.abs(a - predicted[i]!), 0) / 3;
    expect(m.count).toBe(3);
    expect(m.mae).toBeCloseTo(mae, 3);
    expect(m.r2).toEqual(expect.any(Number));
    expect((await api.get('/mlservice/v2/metrics', user.token)).status).toBe(403);
  });

  it("someone else's prediction is a 404; an admin may give feedback on any", async () => {
    const owner = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const other = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const p = await api.post(
      '/mlservice/v1/predict',
      { text: 'Subject: lunch\n\nshall we meet at noon?' },
      owner.token,
    );
    expect(
      (await api.post('/mlservice/v1/feedback', { prediction_id: p.body.prediction_id, actual: 'ham' }, other.token))
        .status,
    ).toBe(404);
    expect(
      (await api.post('/mlservice/v2/feedback', { prediction_id: p.body.prediction_id, actual: 1 }, owner.token))
        .status,
    ).toBe(404);
    expect(
      (await api.post('/mlservice/v1/feedback', { prediction_id: 999999, actual: 'ham' }, owner.token)).status,
    ).toBe(404);
    expect(
      (await api.post('/mlservice/v1/feedback', { prediction_id: p.body.prediction_id, actual: 'eggs' }, owner.token))
        .status,
    ).toBe(422);
    expect(
      (await api.post('/mlservice/v1/feedback', { prediction_id: p.body.prediction_id, actual: 'ham' }, admin)).status,
    ).toBe(200);
  });

  it('v1 metrics: confusion matrix, precision and recall over feedback in a time window', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const start = new Date(Date.now() - 1000).toISOString();
    const mails = [
      ['Subject: FREE MONEY\n\nclaim your free prize now, click here!!! limited offer', 'spam'],
      ['Subject: minutes\n\nattached are the minutes of the project meeting', 'ham'],
      ['Subject: cheap meds\n\nbuy viagra cheap online, no prescription, order now', 'spam'],
    ] as const;
    for (const [text, truth] of mails) {
      const p = await api.post('/mlservice/v1/predict', { text }, user.token);
      await api.post('/mlservice/v1/feedback', { prediction_id: p.body.prediction_id, actual: truth }, user.token);
    }
    const res = await api.get(`/mlservice/v1/metrics?from=${encodeURIComponent(start)}`, admin);
    expect(res.status).toBe(200);
    const m = res.body.models[0];
    expect(m.count).toBeGreaterThanOrEqual(3);
    expect(m.confusion_matrix.labels).toEqual(expect.arrayContaining(['spam', 'ham']));
    const total = m.confusion_matrix.matrix.flat().reduce((a: number, b: number) => a + b, 0);
    expect(total).toBe(m.count);
    // A window is read as whole 15-minute buckets; the reply says which.
    expect(Date.parse(res.body.from) % 900_000).toBe(0);
    expect(Date.parse(res.body.from)).toBeLessThanOrEqual(Date.parse(start));
    const future = await api.get(
      `/mlservice/v1/metrics?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`,
      admin,
    );
    expect(future.body.models[0].count).toBe(0);
    expect((await api.get('/mlservice/v1/metrics?from=yesterday', admin)).status).toBe(422);
  });

  it('batch: one result per item in order, each in the prediction log; over the limit names it', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
    const items = Array.from({ length: 25 }, (_, i) => ({ ...house, rm: 4 + i * 0.15 }));
    const res = await api.post('/mlservice/v2/predict/batch', { items }, user.token);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(25);
    const ids = res.body.items.map((r: { prediction_id: number }) => r.prediction_id);
    expect(new Set(ids).size).toBe(25);
    const single = await api.post('/mlservice/v2/predict', items[24], user.token);
    expect(res.body.items[24].price).toBeCloseTo(single.body.price, 6);
    const fb = await api.post('/mlservice/v2/feedback', { prediction_id: ids[3], actual: 20000 }, user.token);
    expect(fb.status).toBe(200);

    const tooMany = await api.post(
      '/mlservice/v2/predict/batch',
      { items: Array.from({ length: 1001 }, () => house) },
      user.token,
    );
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.message).toContain('1000');
    expect((await api.post('/mlservice/v2/predict/batch', { items: [] }, user.token)).status).toBe(422);
  });
});
