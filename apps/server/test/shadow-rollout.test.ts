import { createTestDatabase, testDialects } from '@mlapi/db/testing';
import { v2ExampleInput } from '@mlapi/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restClient, type RestClient } from '@mlapi/server/testing';
import { metricValue, rolloutSetup, startReplicas, stopReplicas, until } from './fixtures.ts';
import type { RunningServer } from '../src/app.ts';

describe.each(testDialects)('a shadow rollout on %s', (dialect) => {
  const database = createTestDatabase(dialect);
  let servers: RunningServer[] = [];
  let api: RestClient;
  let admin: string;
  let live: string;
  let tokens: string[] = [];

  beforeAll(async () => {
    servers = await startReplicas(dialect, database.url);
    // 7.1.0 predicts as the live version does; 7.2.0 every price 5,000 higher.
    ({ api, admin, live, tokens } = await rolloutSetup(
      servers,
      ['7.1.0', { version: '7.2.0', shift: 5 }],
      'shadowed',
      60,
    ));
  }, 60_000);
  afterAll(async () => {
    await stopReplicas(servers);
    await database.drop();
    tokens = [];
  });

  const urls = () => servers.map((s) => s.url);
  const versions = async () => (await api.get('/admin/models/v2/versions', admin)).body;
  const followed = (mode: string | undefined) =>
    until(
      `every replica follows (${mode ?? 'none'})`,
      async () => servers.every((s) => s.deps.models.candidate('v2')?.mode === mode),
      1000,
    );

  /** Every user predicts once, on the replicas in turn, and sends feedback at once: the price plus 1,000. */
  async function predictWithFeedback(): Promise<Set<string>> {
    const answeredBy = new Set<string>();
    for (const [i, token] of tokens.entries()) {
      const client = restClient(servers[i % servers.length]!.url);
      const reply = await client.post('/mlservice/v2/predict', v2ExampleInput, token);
      expect(reply.status).toBe(200);
      answeredBy.add(reply.body.model_version);
      const feedback = { prediction_id: reply.body.prediction_id, actual: reply.body.price + 1000 };
      expect((await client.post('/mlservice/v2/feedback', feedback, token)).status).toBe(200);
    }
    return answeredBy;
  }

  it('refuses a percent for a shadow, and a canary without one, naming the field', async () => {
    const shadow = await api.put('/admin/models/v2/rollout', { version: '7.1.0', mode: 'shadow', percent: 10 }, admin);
    expect(shadow.status).toBe(422);
    expect(JSON.stringify(shadow.body)).toMatch(/percent is for a canary only/);
    const canary = await api.put('/admin/models/v2/rollout', { version: '7.1.0', mode: 'canary' }, admin);
    expect(canary.status).toBe(422);
    expect(JSON.stringify(canary.body)).toMatch(/percent is required for a canary/);
  });

  it('predicts every call beside the live version, never answering; feedback scores both; compare shows both', async () => {
    const started = await api.put(
      '/admin/models/v2/rollout',
      { version: '7.1.0', mode: 'shadow', guard: { min_samples: 1000 } },
      admin,
    );
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ candidate: '7.1.0', baseline: live, mode: 'shadow', percent: null });
    expect((await versions()).items.find((v: { version: string }) => v.version === '7.1.0').state).toBe('shadow');
    await followed('shadow');

    expect(await predictWithFeedback()).toEqual(new Set([live]));
    const compare = async () => (await api.get('/admin/models/v2/compare', admin)).body;
    await until(
      'every shadow prediction is stored and scored',
      async () => {
        const c = await compare();
        return c.candidate.shadow === tokens.length && c.candidate.quality.count === tokens.length;
      },
      5000,
    );
    const c = await compare();
    expect(c.baseline).toMatchObject({ version: live, calls: tokens.length, shadow: 0, failures: 0 });
    expect(c.candidate).toMatchObject({ version: '7.1.0', calls: tokens.length, failures: 0 });
    // The same weights: the same predictions, so the same error on the same feedback.
    expect(c.baseline.quality).toMatchObject({ count: tokens.length, mae: 1000 });
    expect(c.candidate.quality).toMatchObject({ count: tokens.length });
    expect(c.candidate.quality.mae).toBeCloseTo(1000, 6);
    expect(c.candidate.latency_ms.p50).toBeGreaterThan(0);
    expect(await metricValue(urls(), 'mlapi_shadow_predictions_total{service="v2",outcome="success"}')).toBe(
      tokens.length,
    );
    expect(await metricValue(urls(), 'mlapi_shadow_dropped_total{service="v2",reason="queue_full"}')).toBe(0);

    const rolledBack = await api.post('/admin/models/v2/rollback', {}, admin);
    expect(rolledBack.body).toMatchObject({ live, rollout_ended: '7.1.0' });
    expect((await versions()).items.find((v: { version: string }) => v.version === '7.1.0').state).toBe('registered');
    await followed(undefined);
  });

  it('a shadow candidate worse on feedback is rolled back by its guard, on figures from its shadow predictions', async () => {
    const started = await api.put(
      '/admin/models/v2/rollout',
      { version: '7.2.0', mode: 'shadow', guard: { min_samples: 30, latency_slack_ms: 1000 } },
      admin,
    );
    expect(started.status).toBe(200);
    await followed('shadow');
    expect(await predictWithFeedback()).toEqual(new Set([live]));
    const latest = async () => (await versions()).rollouts[0];
    await until('the guard rolls it back', async () => (await latest()).outcome === 'auto_rolled_back', 10_000);
    const rollout = await latest();
    expect(rollout).toMatchObject({ candidate: '7.2.0', mode: 'shadow', ended_by: 'rollout guard' });
    expect(rollout.decision.reasons).toEqual([expect.stringMatching(/^MAE 4000 against 1000 \(limit 1100\)$/)]);
    expect(rollout.decision.candidate.shadow).toBeGreaterThanOrEqual(30);
    await followed(undefined);
  });
});
