import { testDialects, createTestDatabase } from '@mlapi/db/testing';
import { v2ExampleInput } from '@mlapi/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutSetup, startReplicas, stopReplicas } from './fixtures.ts';
import type { RunningServer } from '../src/app.ts';
import { restClient, superuser, type RestClient } from '@mlapi/server/testing';

/** Runs `work` over `items`, `concurrency` at a time. */
async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe.each(testDialects)('rollouts: a canary beside the live version on %s', (dialect) => {
  const database = createTestDatabase(dialect);
  let servers: RunningServer[] = [];
  let api: RestClient;
  let admin: string;
  let live: string;
  /** Tokens of users with v2 rights, made straight in the database (many, fast). */
  let tokens: string[] = [];

  beforeAll(async () => {
    servers = await startReplicas(dialect, database.url);
    ({ api, admin, live, tokens } = await rolloutSetup(servers, ['9.5.0', '9.6.0'], 'canary', 2000));
  }, 120_000);
  afterAll(async () => {
    await stopReplicas(servers);
    await database.drop();
    tokens = [];
  });

  /** Every predict call the tests made, by the version that answered. */
  const callsBy = new Map<string, number>();

  /** The version that answers each token, on `server`. */
  async function versionsOf(server: RunningServer, which: readonly string[]): Promise<string[]> {
    const client = restClient(server.url);
    const answered = new Map<string, string>();
    await eachLimited(which, 16, async (token) => {
      const reply = await client.post('/mlservice/v2/predict', v2ExampleInput, token);
      expect(reply.status).toBe(200);
      answered.set(token, reply.body.model_version);
      callsBy.set(reply.body.model_version, (callsBy.get(reply.body.model_version) ?? 0) + 1);
    });
    return which.map((t) => answered.get(t)!);
  }

  it('refuses what cannot be rolled out, naming why', async () => {
    const put = (body: object) => api.put('/admin/models/v2/rollout', body, admin);
    expect((await put({ version: '7.7.7', mode: 'canary', percent: 10 })).status).toBe(404);
    const isLive = await put({ version: live, mode: 'canary', percent: 10 });
    expect(isLive.status).toBe(409);
    expect(isLive.body.message).toContain('is live');
    for (const [body, field] of [
      [{ version: '9.5.0', mode: 'canary', percent: 0 }, 'percent'],
      [{ version: '9.5.0', mode: 'canary', percent: 100 }, 'percent'],
      [{ version: '9.5.0', mode: 'canary', percent: 2.5 }, 'percent'],
      [{ version: '9.5.0', mode: 'blue-green', percent: 10 }, 'mode'],
      [{ mode: 'canary', percent: 10 }, 'version'],
    ] as const) {
      const reply = await put(body);
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify(reply.body)).toContain(field);
    }
    const user = tokens[0]!;
    expect(
      (await api.put('/admin/models/v2/rollout', { version: '9.5.0', mode: 'canary', percent: 10 }, user)).status,
    ).toBe(403);
  });

  it('a 10 % canary answers 10 ± 5 % of 2,000 users, each user always the same version, on every replica', async () => {
    const started = await restClient(servers.at(-1)!.url).put(
      '/admin/models/v2/rollout',
      { version: '9.5.0', mode: 'canary', percent: 10 },
      admin,
    );
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      service: 'v2',
      candidate: '9.5.0',
      baseline: live,
      mode: 'canary',
      percent: 10,
      started_by: superuser.username,
      ended_at: null,
      outcome: null,
    });
    // Every replica runs it within a second of the reply.
    const startedAt = Date.now();
    const probe = tokens.slice(0, 200);
    const expected = await versionsOf(servers.at(-1)!, probe);
    for (const s of servers)
      while ((await versionsOf(s, probe)).join() !== expected.join()) {
        expect(Date.now() - startedAt).toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 20));
      }

    const answered = await versionsOf(servers[0]!, tokens);
    const share = answered.filter((v) => v === '9.5.0').length / tokens.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
    expect(new Set(answered)).toEqual(new Set([live, '9.5.0']));
    // Sticky: asked again (on the other replica, where there is one), each user gets the same version.
    expect(await versionsOf(servers.at(-1)!, tokens.slice(0, 300))).toEqual(answered.slice(0, 300));

    const listed = (await api.get('/admin/models/v2/versions', admin)).body;
    expect(listed.rollout).toMatchObject({ candidate: '9.5.0', percent: 10, outcome: null });
    expect(listed.items.find((v: { version: string }) => v.version === '9.5.0').state).toBe('canary');
    const again = await api.put('/admin/models/v2/rollout', { version: '9.6.0', mode: 'canary', percent: 5 }, admin);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already has a rollout running');
  });

  it('compare: the candidate and the baseline side by side over the rollout, from the rollups', async () => {
    // Feedback on three predictions of each: the candidate (same weights) is as good as the baseline.
    const answered = await versionsOf(servers[0]!, tokens.slice(0, 400));
    for (const version of [live, '9.5.0']) {
      const mine = tokens
        .slice(0, 400)
        .filter((_, i) => answered[i] === version)
        .slice(0, 3);
      for (const token of mine) {
        const reply = await api.post('/mlservice/v2/predict', v2ExampleInput, token);
        callsBy.set(version, (callsBy.get(version) ?? 0) + 1);
        const actual = reply.body.price + 1000;
        expect(
          (await api.post('/mlservice/v2/feedback', { prediction_id: reply.body.prediction_id, actual }, token)).status,
        ).toBe(200);
      }
    }
    const compared = await api.get('/admin/models/v2/compare', admin);
    expect(compared.status).toBe(200);
    expect(compared.body.rollout).toMatchObject({ candidate: '9.5.0', baseline: live, outcome: null });
    const { baseline, candidate } = compared.body;
    expect(baseline).toMatchObject({ version: live, calls: callsBy.get(live), failures: 0, failure_rate: 0 });
    expect(candidate).toMatchObject({ version: '9.5.0', calls: callsBy.get('9.5.0'), failures: 0, failure_rate: 0 });
    for (const side of [baseline, candidate]) {
      expect(side.latency_ms.p50).toBeGreaterThan(0);
      expect(side.latency_ms.p99).toBeGreaterThanOrEqual(side.latency_ms.p50);
      expect(side.quality).toMatchObject({ model_version: side.version, count: 3, mae: 1000 });
    }
    expect(new Date(compared.body.from).getTime()).toBeLessThanOrEqual(Date.parse(compared.body.rollout.started_at));

    // Any two versions, named: one without calls has no rates.
    const named = await api.get(`/admin/models/v2/compare?candidate=9.6.0&baseline=${live}`, admin);
    expect(named.body.rollout).toBeNull();
    expect(named.body.candidate).toMatchObject({ calls: 0, failure_rate: null, latency_ms: { p50: null, p99: null } });
    expect(named.body.candidate.quality.count).toBe(0);
    const bad = await api.get('/admin/models/v2/compare?from=yesterday', admin);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('from');
  });

  it('a rollback stops the canary (live answers everyone); a promote of the candidate ends it with the candidate live', async () => {
    const other = restClient(servers.at(-1)!.url);
    const stopped = await other.post('/admin/models/v2/rollback', undefined, admin);
    expect(stopped.body).toEqual({ service: 'v2', previous: live, live, changed: true, rollout_ended: '9.5.0' });
    for (const s of servers) {
      const deadline = Date.now() + 1000;
      while (new Set(await versionsOf(s, tokens.slice(0, 300))).size > 1) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(new Set(await versionsOf(s, tokens.slice(0, 300)))).toEqual(new Set([live]));
    }
    let listed = (await api.get('/admin/models/v2/versions', admin)).body;
    expect(listed.rollout).toBeNull();
    expect(listed.rollouts[0]).toMatchObject({
      candidate: '9.5.0',
      outcome: 'rolled_back',
      ended_by: superuser.username,
    });
    expect(listed.items.find((v: { version: string }) => v.version === '9.5.0').state).toBe('registered');

    // Again, then promoted: the candidate answers everyone, the rollout ended 'promoted'.
    expect(
      (await api.put('/admin/models/v2/rollout', { version: '9.5.0', mode: 'canary', percent: 50 }, admin)).status,
    ).toBe(200);
    const promoted = await api.post('/admin/models/v2/promote', { version: '9.5.0' }, admin);
    expect(promoted.body).toEqual({
      service: 'v2',
      previous: live,
      live: '9.5.0',
      changed: true,
      rollout_ended: '9.5.0',
    });
    for (const s of servers) {
      const deadline = Date.now() + 1000;
      while (
        new Set(await versionsOf(s, tokens.slice(0, 100))).size > 1 ||
        (await versionsOf(s, tokens.slice(0, 1)))[0] !== '9.5.0'
      ) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    listed = (await api.get('/admin/models/v2/versions', admin)).body;
    expect(listed.live).toBe('9.5.0');
    expect(listed.rollouts.map((r: { outcome: string }) => r.outcome)).toEqual(['promoted', 'rolled_back']);
    const audit = (await api.get('/admin/audit?limit=4', admin)).body.items.map((a: { action: string }) => a.action);
    expect(audit).toEqual(['models.promote', 'models.rollout', 'models.rollback', 'models.rollout']);
  });
});
