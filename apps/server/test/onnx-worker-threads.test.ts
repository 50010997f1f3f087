import { testDialects } from '@mlapi/db/testing';
import { tinyHouse, writeBusyLinearModel, writeManifest } from '@mlapi/onnx/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';

/** A v2 house model that keeps one core busy for a couple of hundred milliseconds on every call, as a heavy model does. */
const dir = join(mkdtempSync(join(tmpdir(), 'mlapi-busy-')), 'house');
const house = { rooms: 3, area: 80, garden: true };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The time of one call, in ms, after checking it succeeded. */
async function timed(call: () => Promise<{ status: number }>): Promise<number> {
  const started = performance.now();
  const { status } = await call();
  expect(status).toBe(200);
  return performance.now() - started;
}

describe.each(testDialects)('a slow ONNX model runs off the event loop (%s)', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let token: string;
  beforeAll(async () => {
    const { weights, bias } = tinyHouse.weights.first;
    await writeBusyLinearModel(dir, { weights: [...weights], bias, busySize: 2800 });
    await writeManifest(dir, tinyHouse.manifest('1.0.0'));
    let admin: string;
    ({ server, api, admin } = await signedInServer(dialect, {
      MODEL_DIR_V2: dir,
      DEFAULT_CALLS_PER_MINUTE: '0',
      DEFAULT_CALLS_PER_DAY: '0',
    }));
    ({ token } = await userWithRights(api, admin, { is_active: true, has_access_v1: true, has_access_v2: true }));
  });
  afterAll(() => server?.stop());

  it('while v2 works through its queue, /healthz and v1 predict answer in their usual time', async () => {
    const slow = await timed(() => api.post('/mlservice/v2/predict', house, token));
    // The precondition: one v2 call keeps a core busy for a good while.
    expect(slow).toBeGreaterThan(100);

    const v1 = () => api.post('/mlservice/v1/predict', { text: 'win a free prize now' }, token);
    const healthz = () => api.get('/healthz');
    const sample = async () => {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) times.push(await timed(healthz), await timed(v1));
      return times;
    };
    const idle = await sample();

    let busy = true;
    let slowCalls = 0;
    const load = Array.from({ length: 3 }, async () => {
      while (busy) {
        expect((await api.post('/mlservice/v2/predict', house, token)).status).toBe(200);
        slowCalls++;
      }
    });
    // Once v2 calls are running (and more are queued behind them).
    await new Promise((r) => setTimeout(r, 50));
    let during: number[];
    try {
      during = await sample();
    } finally {
      busy = false;
      await Promise.all(load);
    }
    // On the event loop, every one of these would wait for a v2 run in progress (half of one, on average).
    expect(slowCalls).toBeGreaterThan(0);
    expect(median(during)).toBeLessThan(Math.max(3 * median(idle), 25));
    expect(median(during)).toBeLessThan(slow / 4);
  });
});
