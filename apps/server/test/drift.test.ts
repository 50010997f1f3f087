import { testDialects } from '@mlapi/db/testing';
import { loadBostonRows } from '@mlapi/ml/testing';
import { v2FeatureNames } from '@mlapi/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { hamMail, noQuotas } from './fixtures.ts';

/** The 506 Boston tracts as v2 inputs; `rm` shifted by `rmShift` rooms (kept within the API's range, at most 9). */
const houses = (rmShift = 0) =>
  loadBostonRows().map(({ cmedv: _target, ...features }) => ({ ...features, rm: Math.min(features.rm + rmShift, 9) }));

const hour = 60 * 60 * 1000;

describe.each(testDialects)('drift on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  const drift = (query = '') => {
    const now = Date.now();
    const window = `from=${new Date(now - hour).toISOString()}&to=${new Date(now + hour).toISOString()}`;
    return api.get(`/admin/models/v2/drift?${window}${query}`, admin);
  };
  beforeAll(async () => ({ server, api, admin } = await signedInServer(dialect, noQuotas)));
  afterAll(() => server.stop());

  it('calls drawn from the training data show no drift: every feature ok, the predictions too', async () => {
    expect((await api.post('/mlservice/v2/predict/batch', { items: houses() }, admin)).status).toBe(200);
    const reply = await drift();
    expect(reply.status).toBe(200);
    const body = reply.body;
    expect(body).toMatchObject({ service: 'v2', model_version: '1.1.0', has_reference: true, status: 'ok' });
    expect(body.thresholds).toEqual({ warn: 0.1, alert: 0.25 });
    expect(body.features.map((f: { feature: string }) => f.feature)).toEqual([...v2FeatureNames]);
    for (const f of body.features) expect(f).toMatchObject({ status: 'ok', n: 506 });
    expect(body.prediction).toMatchObject({ status: 'ok', n: 506 });
    expect(body.prediction.psi).toBeLessThan(0.01);
    expect(body.text).toBeNull();
  });

  it('the same tracts with rm + 2 flag rm (alert) and no other feature', async () => {
    expect((await api.post('/mlservice/v2/predict/batch', { items: houses(2) }, admin)).status).toBe(200);
    const body = (await drift()).body;
    expect(body.status).toBe('alert');
    const byFeature = Object.fromEntries(body.features.map((f: { feature: string }) => [f.feature, f]));
    expect(byFeature.rm).toMatchObject({ status: 'alert', n: 1012 });
    expect(byFeature.rm.psi).toBeGreaterThan(0.25);
    expect(byFeature.rm.served_mean).toBeGreaterThan(byFeature.rm.reference_mean + 0.8);
    const others = body.features.filter((f: { feature: string }) => f.feature !== 'rm');
    expect(others.map((f: { status: string }) => f.status)).toEqual(Array(11).fill('ok'));
    // More rooms, higher prices: the predictions moved too.
    expect(body.prediction.psi).toBeGreaterThan(0.1);
  });

  it('v1 compares the text length and the out-of-vocabulary rate with the training texts', async () => {
    const texts = [hamMail, 'Subject: WIN A FREE PRIZE\n\nClick here now to claim your free money!', 'zqxv plorkbat'];
    expect(
      (await api.post('/mlservice/v1/predict/batch', { items: texts.map((text) => ({ text })) }, admin)).status,
    ).toBe(200);
    const body = (await api.get('/admin/models/v1/drift', admin)).body;
    expect(body).toMatchObject({ service: 'v1', model_version: '1.2.0', has_reference: true });
    expect(body.features).toHaveLength(1);
    expect(body.features[0]).toMatchObject({ feature: 'tokens', n: 3 });
    expect(body.prediction).toMatchObject({ labels: ['spam', 'ham'], n: 3 });
    expect(body.text.oov_rate.reference).toBeGreaterThan(0);
    expect(body.text.oov_rate.served).toBeGreaterThan(0);
    expect(body.text.mean_tokens.served).toBeGreaterThan(2);
  });

  it('refuses a window that ends before it starts, an unknown version, and a non-admin', async () => {
    const reversed = await api.get('/admin/models/v2/drift?from=2026-02-01&to=2026-01-01', admin);
    expect(reversed.status).toBe(422);
    expect(JSON.stringify(reversed.body)).toContain('from');
    const unknown = await drift('&version=0.0.1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('0.0.1');
    const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
    expect((await api.get('/admin/models/v2/drift', user.token)).status).toBe(403);
  });
});
