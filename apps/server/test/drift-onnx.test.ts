import { testDialects } from '@mlapi/db/testing';
import { tinyHouse } from '@mlapi/onnx/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, type RestClient, type TestServer } from '@mlapi/server/testing';
import { noQuotas } from './fixtures.ts';

/** The training distribution the manifest declares: rooms mostly 3–4, area spread evenly over four bins. */
const reference = {
  rows: 200,
  features: {
    rooms: { edges: [3, 5], shares: [0.2, 0.5, 0.3], mean: 4.2 },
    area: { edges: [50, 100, 150], shares: [0.25, 0.25, 0.25, 0.25], mean: 100 },
  },
  prediction: { edges: [60_000], shares: [0.5, 0.5], mean: 60_000 },
};

describe.each(testDialects)("an ONNX model's own reference bins (%s)", (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlapi-drift-onnx-'));
    await tinyHouse.write(dir, '1.0.0', undefined, tinyHouse.manifest('1.0.0', { card: { reference } }));
    ({ server, api, admin } = await signedInServer(dialect, { ...noQuotas, MODEL_DIR_V2: dir }));
  });
  afterAll(() => server?.stop());

  it('drift compares the served fields with the manifest’s bins: rooms all 8 is an alert, area as trained is ok', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ rooms: 8, area: 25 + 50 * (i % 4), garden: i % 2 === 0 }));
    expect((await api.post('/mlservice/v2/predict/batch', { items }, admin)).status).toBe(200);
    const reply = await api.get('/admin/models/v2/drift', admin);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ model_version: '1.0.0', has_reference: true, status: 'alert' });
    const byFeature = Object.fromEntries(reply.body.features.map((f: { feature: string }) => [f.feature, f]));
    expect(Object.keys(byFeature).sort()).toEqual(['area', 'rooms']);
    expect(byFeature.rooms).toMatchObject({ status: 'alert', n: 40, served_mean: 8 });
    expect(byFeature.rooms.bins.served).toEqual([0, 0, 1]);
    expect(byFeature.area).toMatchObject({ status: 'ok', psi: 0, n: 40 });
    expect(reply.body.prediction).toMatchObject({ n: 40, edges: [60_000] });
  });
});
