import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRepositories,
  openDatabase,
  RolloutConflictError,
  type Database,
  type ModelVersionRecord,
  type NewModelVersion,
  type NewRollout,
  type Repositories,
} from '../src/index.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { until } from './fixtures.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 12, minute));
const candidate = (version: string): NewModelVersion => ({
  service: 'v2',
  version,
  name: 'house',
  source: 'builtin',
  card: { version },
  files: [{ path: 'v2-boston.json', bytes: new TextEncoder().encode(`{"version":"${version}"}`) }],
  registeredBy: null,
  registeredAt: at(0),
});
const canary = (v: ModelVersionRecord, minute: number): NewRollout => ({
  candidateId: v.id,
  mode: 'canary',
  percent: 10,
  guard: {},
  autoPromote: false,
  actor: null,
  at: at(minute),
});

describe.each(testDialects)('model rollouts on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  // Two pools on one database, as two replicas have.
  let dbs: Database[];
  let replicas: Repositories[];
  const versions: Record<string, ModelVersionRecord> = {};
  beforeAll(async () => {
    dbs = [await openDatabase(testDb.url), await openDatabase(testDb.url, { migrate: 'verify' })];
    replicas = dbs.map(createRepositories);
    const registry = replicas[0]!.modelRegistry;
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) versions[v] = await registry.register(candidate(v));
    await registry.promote(versions['1.0.0']!.id, { action: 'first', actor: null, at: at(1) });
  });
  afterAll(async () => {
    await Promise.all(dbs?.map((db) => db.close()) ?? []);
    await testDb.drop();
  });
  const states = async () =>
    Object.fromEntries((await replicas[0]!.modelRegistry.versions('v2')).map((v) => [v.version, v.state]));

  it('a canary of a registered version runs beside the live one, one at a time; stopping it leaves live as it was', async () => {
    const [a, b] = replicas;
    const started = await a!.modelRollouts.start(canary(versions['1.1.0']!, 2));
    expect(started).toMatchObject({
      service: 'v2',
      candidateVersion: '1.1.0',
      baselineVersion: '1.0.0',
      mode: 'canary',
      percent: 10,
      endedAt: null,
    });
    expect(await states()).toEqual({ '1.0.0': 'live', '1.1.0': 'canary', '1.2.0': 'registered' });
    expect((await b!.modelRollouts.running('v2'))?.id).toBe(started.id);

    await expect(b!.modelRollouts.start(canary(versions['1.2.0']!, 3))).rejects.toThrow(
      /already has a rollout running/,
    );
    const stopped = await b!.modelRollouts.stop('v2', { actor: { username: 'ada@example.com' }, at: at(4) });
    expect(stopped).toMatchObject({ outcome: 'rolled_back', endedByUsername: 'ada@example.com', endedAt: at(4) });
    expect(await a!.modelRollouts.running('v2')).toBeNull();
    expect(await a!.modelRollouts.stop('v2', { actor: null, at: at(4) })).toBeNull();
    expect(await states()).toEqual({ '1.0.0': 'live', '1.1.0': 'registered', '1.2.0': 'registered' });

    // The live version is no candidate.
    await expect(a!.modelRollouts.start(canary(versions['1.0.0']!, 5))).rejects.toBeInstanceOf(RolloutConflictError);
  });

  it('a promote ends the rollout: promoted with its candidate live, cancelled when another version is made live', async () => {
    const [a, b] = replicas;
    await a!.modelRollouts.start(canary(versions['1.1.0']!, 6));
    await b!.modelRegistry.promote(versions['1.1.0']!.id, { action: 'promote', actor: null, at: at(7) });
    expect(await states()).toEqual({ '1.0.0': 'retired', '1.1.0': 'live', '1.2.0': 'registered' });
    const [promoted] = await a!.modelRollouts.list('v2', 1);
    expect(promoted).toMatchObject({ candidateVersion: '1.1.0', outcome: 'promoted', endedAt: at(7) });

    // A retired version may be tried again; promoting another one instead cancels its rollout.
    await a!.modelRollouts.start(canary(versions['1.0.0']!, 8));
    await b!.modelRegistry.promote(versions['1.2.0']!.id, { action: 'promote', actor: null, at: at(9) });
    expect(await states()).toEqual({ '1.0.0': 'registered', '1.1.0': 'retired', '1.2.0': 'live' });
    const [cancelled] = await a!.modelRollouts.list('v2', 1);
    expect(cancelled).toMatchObject({ candidateVersion: '1.0.0', baselineVersion: '1.1.0', outcome: 'cancelled' });
    expect((await a!.modelRollouts.list('v2')).map((r) => r.outcome)).toEqual(['cancelled', 'promoted', 'rolled_back']);
  });

  it('racing starts on two replicas: exactly one rollout runs', async () => {
    const pools = dialect === 'postgresql' ? 2 : 1;
    const results = await Promise.allSettled(
      ['1.0.0', '1.1.0', '1.0.0', '1.1.0'].map((v, i) =>
        replicas[i % pools]!.modelRollouts.start(canary(versions[v]!, 10 + i)),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RolloutConflictError);
    const running = await replicas[0]!.modelRollouts.running('v2');
    expect(Object.values(await states()).filter((s) => s === 'canary')).toHaveLength(1);
    expect((await states())[running!.candidateVersion]).toBe('canary');
    await replicas[0]!.modelRollouts.stop('v2', { actor: null, at: at(20) });
  });

  it("the guard's verdict ends a running rollout once, with its figures and an audit row", async () => {
    // Two replicas' guards racing (PostgreSQL); SQLite has one process writing its file: one pool's calls race.
    const [a, b] = dialect === 'postgresql' ? replicas : [replicas[0], replicas[0]];
    const started = await a!.modelRollouts.start(canary(versions['1.1.0']!, 30));
    const guard = { username: 'rollout guard', at: at(31) };
    const verdicts = await Promise.all([
      a!.modelRollouts.decide(started.id, 'auto_rolled_back', { reasons: ['mae'] }, guard),
      b!.modelRollouts.decide(started.id, 'auto_promoted', { reasons: [] }, guard),
    ]);
    const won = verdicts.filter((v) => v !== null);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ id: started.id, endedByUsername: 'rollout guard', endedAt: at(31) });
    expect(await a!.modelRollouts.running('v2')).toBeNull();
    const expected = won[0]!.outcome === 'auto_promoted' ? 'live' : 'registered';
    expect((await states())['1.1.0']).toBe(expected);
    const audit = await dbs[0]!.sql.read('select actor_id, actor_username, action from audit_logs', []);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: null,
      actor_username: 'rollout guard',
      action: `models.rollout.${won[0]!.outcome}`,
    });
    // A verdict on a rollout that ended already changes nothing.
    expect(await a!.modelRollouts.decide(started.id, 'auto_rolled_back', {}, guard)).toBeNull();
    if (expected === 'live')
      await a!.modelRegistry.promote(versions['1.2.0']!.id, { action: 'promote', actor: null, at: at(32) });
  });

  it.runIf(dialect === 'postgresql')(
    'starting or stopping a rollout notifies every replica of the service',
    async () => {
      await dbs[0]!.changes.start();
      const seen: unknown[] = [];
      const stop = dbs[0]!.changes.subscribe((change) => seen.push(change));
      try {
        await replicas[1]!.modelRollouts.start(canary(versions['1.1.0']!, 21));
        await until(() => seen.length > 0);
        await replicas[1]!.modelRollouts.stop('v2', { actor: null, at: at(22) });
        await until(() => seen.length > 1);
        expect(seen).toEqual([
          { kind: 'model', service: 'v2' },
          { kind: 'model', service: 'v2' },
        ]);
      } finally {
        stop();
      }
    },
  );
});
