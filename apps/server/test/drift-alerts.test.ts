import { testDialects } from '@mlapi/db/testing';
import { loadBostonRows } from '@mlapi/ml/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, type RestClient, type TestServer } from '@mlapi/server/testing';
import { metricValue, noQuotas, until } from './fixtures.ts';

interface DriftAlert {
  event: string;
  service: string;
  model_version: string;
  feature: string;
  psi: number;
  threshold: number;
}

describe.each(testDialects)('drift gauges and alerts on %s', (dialect) => {
  const alerts: DriftAlert[] = [];
  let webhook: Server;
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  const psiGauge = (service: string, feature: string) =>
    metricValue([server.url], `mlapi_drift_psi{service="${service}",model_version="1.1.0",feature="${feature}"}`);

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        alerts.push(JSON.parse(body) as DriftAlert);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => webhook.listen(0, '127.0.0.1', done));
    ({ server, api, admin } = await signedInServer(dialect, {
      ...noQuotas,
      DRIFT_CHECK_SECONDS: '1',
      ALERT_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alerts`,
    }));
  });
  afterAll(async () => {
    await server.stop();
    await new Promise((done) => webhook?.close(done));
  });

  it('a feature that drifts into alert is exported as a gauge and POSTed once, not at every check', async () => {
    const shifted = loadBostonRows().map(({ cmedv: _target, ...x }) => ({ ...x, rm: Math.min(x.rm + 2, 9) }));
    expect((await api.post('/mlservice/v2/predict/batch', { items: shifted }, admin)).status).toBe(200);
    await until('an alert for rm', async () => alerts.some((a) => a.feature === 'rm'), 10_000);
    const alert = alerts.find((a) => a.feature === 'rm')!;
    expect(alert).toMatchObject({ event: 'drift_alert', service: 'v2', model_version: '1.1.0', threshold: 0.25 });
    expect(alert.psi).toBeGreaterThan(0.25);
    expect(await psiGauge('v2', 'rm')).toBeGreaterThan(0.25);
    expect(await psiGauge('v2', 'lstat')).toBeLessThan(0.1);
    // Two more checks later: still in alert, still one alert for rm; no other input feature alerted.
    await new Promise((r) => setTimeout(r, 2500));
    expect(alerts.filter((a) => a.feature === 'rm')).toHaveLength(1);
    expect(alerts.map((a) => a.feature).filter((f) => f !== 'rm' && f !== 'prediction')).toEqual([]);
  });
});
