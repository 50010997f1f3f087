import { testDialects } from '@mlapi/db/testing';
import { tinyHouse, writeBusyLinearModel, writeLinearModel, writeManifest } from '@mlapi/onnx/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './fixtures.ts';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';

/** A fast v2 house model to serve, and a candidate with its API that keeps a core busy ~200 ms on every call. */
const root = mkdtempSync(join(tmpdir(), 'mlapi-shadow-'));
const liveDir = join(root, 'live');
const slowDir = join(root, 'slow');
const house = { rooms: 3, area: 80, garden: true };
const calls = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe.each(testDialects)('a slow shadow candidate (%s)', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  let token: string;
  beforeAll(async () => {
    const { weights, bias } = tinyHouse.weights.first;
    await writeLinearModel(liveDir, { weights: [...weights], bias });
    await writeManifest(liveDir, tinyHouse.manifest('1.0.0'));
    await writeBusyLinearModel(slowDir, { weights: [...weights], bias, busySize: 2800 });
    await writeManifest(slowDir, tinyHouse.manifest('2.0.0'));
    ({ server, api, admin } = await signedInServer(dialect, {
      MODEL_DIR_V2: liveDir,
      SHADOW_QUEUE_MAX: '2',
      DEFAULT_CALLS_PER_MINUTE: '0',
      DEFAULT_CALLS_PER_DAY: '0',
    }));
    ({ token } = await userWithRights(api, admin, { is_active: true, has_access_v1: false, has_access_v2: true }));
  });
  afterAll(() => server?.stop());

  it('never delays a reply; past SHADOW_QUEUE_MAX waiting calls, shadow predictions are dropped and counted', async () => {
    expect((await api.post('/admin/models/v2/versions', { dir: slowDir }, admin)).status).toBe(201);
    const started = await api.put('/admin/models/v2/rollout', { version: '2.0.0', mode: 'shadow' }, admin);
    expect(started.status).toBe(200);

    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      const reply = await api.post('/mlservice/v2/predict', house, token);
      times.push(performance.now() - t0);
      expect(reply.status).toBe(200);
      expect(reply.body.model_version).toBe('1.0.0');
    }
    // A reply that waited for the candidate would take its ~200 ms at least.
    expect(median(times)).toBeLessThan(100);

    const made = () => metricValue([server.url], 'mlapi_shadow_predictions_total{service="v2",outcome="success"}');
    const dropped = () => metricValue([server.url], 'mlapi_shadow_dropped_total{service="v2",reason="queue_full"}');
    const deadline = Date.now() + 10_000;
    while ((await made()) + (await dropped()) < calls && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await dropped()).toBeGreaterThan(0);
    expect(await made()).toBeGreaterThan(0);
    expect((await made()) + (await dropped())).toBe(calls);
    expect(await metricValue([server.url], 'mlapi_shadow_backlog')).toBeLessThanOrEqual(2);
  });
});
