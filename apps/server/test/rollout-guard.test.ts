import { createTestDatabase, testDialects } from '@mlapi/db/testing';
import { v2ExampleInput } from '@mlapi/schemas';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noQuotas, rolloutSetup, startReplicas, stopReplicas, until } from './fixtures.ts';
import type { RunningServer } from '../src/app.ts';
import { restClient, type RestClient } from '@mlapi/server/testing';

describe.each(testDialects)('the rollout guard on %s', (dialect) => {
  const database = createTestDatabase(dialect);
  const alerts: { event: string; service: string; rollout: { outcome: string } }[] = [];
  let webhook: Server;
  let servers: RunningServer[] = [];
  let api: RestClient;
  let admin: string;
  let live: string;
  let tokens: string[] = [];

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        alerts.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => webhook.listen(0, '127.0.0.1', done));
    servers = await startReplicas(dialect, database.url, {
      ...noQuotas,
      ALERT_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alerts`,
    });
    ({ api, admin, live, tokens } = await rolloutSetup(servers, ['9.7.0', '9.8.0'], 'guarded', 200));
  }, 60_000);
  afterAll(async () => {
    await stopReplicas(servers);
    await database.drop();
    await new Promise((done) => webhook?.close(done));
    tokens = [];
  });

  /**
   * Every user predicts once on the first replica and sends feedback: the truth is the prediction plus `errorOf`
   * the version that answered. Returns how many predictions each version made.
   */
  async function predictWithFeedback(errorOf: (version: string) => number): Promise<Record<string, number>> {
    const made: Record<string, number> = {};
    for (const token of tokens) {
      const reply = await api.post('/mlservice/v2/predict', v2ExampleInput, token);
      expect(reply.status).toBe(200);
      const { model_version: version, price, prediction_id } = reply.body;
      made[version] = (made[version] ?? 0) + 1;
      const feedback = { prediction_id, actual: price + errorOf(version) };
      expect((await api.post('/mlservice/v2/feedback', feedback, token)).status).toBe(200);
    }
    return made;
  }

  const latestRollout = async () => (await api.get('/admin/models/v2/versions', admin)).body.rollouts[0];

  // Latency is judged too, but a few hundred calls on a busy test machine make a noisy p99: the tests here judge
  // quality, with a latency slack of a second.
  it('a candidate worse on feedback is rolled back within 10 s of the evidence: figures recorded, audited, alerted', async () => {
    const started = await api.put(
      '/admin/models/v2/rollout',
      { version: '9.7.0', mode: 'canary', percent: 50, guard: { min_samples: 20, latency_slack_ms: 1000 } },
      admin,
    );
    expect(started.body.guard).toMatchObject({
      min_samples: 20,
      max_mae_increase: 0.1,
      max_failure_rate_increase: 0.01,
    });
    const made = await predictWithFeedback((version) => (version === '9.7.0' ? 5000 : 1000));
    expect(made['9.7.0']).toBeGreaterThanOrEqual(20);
    const evidence = Date.now();
    await until('the guard rolls it back', async () => (await latestRollout()).outcome === 'auto_rolled_back', 10_000);
    expect(Date.now() - evidence).toBeLessThan(10_000);

    const rollout = await latestRollout();
    expect(rollout).toMatchObject({ candidate: '9.7.0', ended_by: 'rollout guard' });
    expect(rollout.decision.reasons).toEqual([expect.stringMatching(/^MAE 5000 against 1000 \(limit 1100\)$/)]);
    expect(rollout.decision.candidate).toMatchObject({ version: '9.7.0', quality: { mae: 5000 } });
    const versions = (await api.get('/admin/models/v2/versions', admin)).body;
    expect(versions.live).toBe(live);
    expect(versions.items.find((v: { version: string }) => v.version === '9.7.0').state).toBe('registered');
    const [audit] = (await api.get('/admin/audit?limit=1', admin)).body.items;
    expect(audit).toMatchObject({ action: 'models.rollout.auto_rolled_back', actor_username: 'rollout guard' });

    // One replica's verdict: one alert, one count; every replica answers everyone with the live version again.
    await until('the alert', async () => alerts.length > 0, 5000);
    expect(alerts).toEqual([
      expect.objectContaining({
        event: 'rollout.auto_rolled_back',
        service: 'v2',
        rollout: expect.objectContaining({ outcome: 'auto_rolled_back' }),
      }),
    ]);
    let counted = 0;
    for (const s of servers) {
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      counted += Number(
        /mlapi_rollout_verdicts_total\{service="v2",outcome="auto_rolled_back"\} (\d+)/.exec(metrics)?.[1] ?? 0,
      );
      const client = restClient(s.url);
      await until(
        'the replica serves the live version to everyone',
        async () => {
          for (const token of tokens.slice(0, 40))
            if ((await client.post('/mlservice/v2/predict', v2ExampleInput, token)).body.model_version !== live)
              return false;
          return true;
        },
        1000,
      );
    }
    expect(counted).toBe(1);
  });

  it('with auto_promote, a candidate holding every guard is made live on its own', async () => {
    alerts.length = 0;
    await api.put(
      '/admin/models/v2/rollout',
      {
        version: '9.8.0',
        mode: 'canary',
        percent: 50,
        guard: { min_samples: 20, latency_slack_ms: 1000 },
        auto_promote: true,
      },
      admin,
    );
    await predictWithFeedback(() => 1000);
    await until('the guard promotes it', async () => (await latestRollout()).outcome === 'auto_promoted', 10_000);
    expect((await latestRollout()).decision.reasons).toEqual([]);
    expect((await api.get('/admin/models/v2/versions', admin)).body.live).toBe('9.8.0');
    for (const s of servers) {
      const client = restClient(s.url);
      await until(
        'the replica serves the promoted version',
        async () =>
          (await client.post('/mlservice/v2/predict', v2ExampleInput, tokens[0])).body.model_version === '9.8.0',
        1000,
      );
    }
    await until('the alert', async () => alerts.length > 0, 5000);
    expect(alerts.map((a) => a.event)).toEqual(['rollout.auto_promoted']);
  });
});
