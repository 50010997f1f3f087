import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRepositories,
  DuplicateKeyError,
  modelContentSha256,
  ModelFilesCorruptError,
  openDatabase,
  type Database,
  type NewModelVersion,
  type Repositories,
} from '../src/index.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { until } from './fixtures.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 12, minute));
const candidate = (version: string, weights: string): NewModelVersion => ({
  service: 'v1',
  version,
  name: 'spam-logistic',
  source: 'builtin',
  card: { version, metrics: { f1: 0.9 } },
  files: [
    { path: 'spam-model.json', bytes: bytes(`{"version":"${version}"}`) },
    { path: 'weights.f32', bytes: bytes(weights) },
  ],
  registeredBy: null,
  registeredAt: at(0),
});

describe.each(testDialects)('the model registry on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  // Two pools on one database, as two replicas have.
  let dbs: Database[];
  let replicas: Repositories[];
  beforeAll(async () => {
    dbs = [await openDatabase(testDb.url), await openDatabase(testDb.url, { migrate: 'verify' })];
    replicas = dbs.map(createRepositories);
  });
  afterAll(async () => {
    await Promise.all(dbs?.map((db) => db.close()) ?? []);
    await testDb.drop();
  });

  it('stores each file once by content, gives back exactly the bytes registered, and refuses a version twice', async () => {
    const [a, b] = replicas;
    const one = await a!.modelRegistry.register(candidate('1.0.0', 'AAAA'));
    // Same weights, new manifest: the weights are not stored again.
    const two = await b!.modelRegistry.register(candidate('1.1.0', 'AAAA'));
    expect(one.state).toBe('registered');
    expect(one.files.map((f) => f.path)).toEqual(['spam-model.json', 'weights.f32']);
    expect(one.sha256).toBe(modelContentSha256(one.files));
    expect(two.sha256).not.toBe(one.sha256);
    expect(two.files[1]!.sha256).toBe(one.files[1]!.sha256);
    const stored = await dbs[0]!.sql.read('select count(*) as n from model_files', []);
    expect(Number(stored[0]!.n)).toBe(3);

    const files = await b!.modelRegistry.files(one.id);
    expect(files.map((f) => [f.path, new TextDecoder().decode(f.bytes)])).toEqual([
      ['spam-model.json', '{"version":"1.0.0"}'],
      ['weights.f32', 'AAAA'],
    ]);
    await expect(a!.modelRegistry.register(candidate('1.0.0', 'BBBB'))).rejects.toBeInstanceOf(DuplicateKeyError);
    expect((await a!.modelRegistry.versions('v1')).map((v) => v.version)).toEqual(['1.1.0', '1.0.0']);
    expect(await a!.modelRegistry.versions('v2')).toEqual([]);
  });

  it('promote keeps the previous live version; rollback returns to it and the rolled-back one may be promoted again', async () => {
    const [a, b] = replicas;
    const registry = a!.modelRegistry;
    const v1 = (await registry.version('v1', '1.0.0'))!;
    const v2 = (await registry.version('v1', '1.1.0'))!;
    expect(await registry.live('v1')).toBeNull();
    expect(await registry.rollback('v1', { actor: null, at: at(1) })).toBeNull();

    await registry.promote(v1.id, { action: 'first', actor: null, at: at(1) });
    await b!.modelRegistry.promote(v2.id, { action: 'promote', actor: null, at: at(2) });
    const states = async () => Object.fromEntries((await registry.versions('v1')).map((v) => [v.version, v.state]));
    expect(await states()).toEqual({ '1.0.0': 'retired', '1.1.0': 'live' });

    expect((await b!.modelRegistry.rollback('v1', { actor: null, at: at(3) }))?.version).toBe('1.0.0');
    expect(await states()).toEqual({ '1.0.0': 'live', '1.1.0': 'registered' });
    // Nothing earlier than 1.0.0 to return to.
    expect(await registry.rollback('v1', { actor: null, at: at(4) })).toBeNull();

    await registry.promote(v2.id, { action: 'promote', actor: null, at: at(5) });
    expect((await registry.live('v1'))?.version).toBe('1.1.0');
    const history = await registry.history('v1');
    expect(history.map((d) => [d.version, d.action, d.liveFrom.getTime(), d.liveUntil?.getTime() ?? null])).toEqual([
      ['1.1.0', 'promote', at(5).getTime(), null],
      ['1.0.0', 'rollback', at(3).getTime(), at(5).getTime()],
      ['1.1.0', 'promote', at(2).getTime(), at(3).getTime()],
      ['1.0.0', 'first', at(1).getTime(), at(2).getTime()],
    ]);
  });

  it.runIf(dialect === 'postgresql')(
    'a promote or rollback on one replica notifies every other of the service, once per change',
    async () => {
      const [, b] = replicas;
      await dbs[0]!.changes.start();
      const seen: unknown[] = [];
      const stop = dbs[0]!.changes.subscribe((change) => seen.push(change));
      try {
        const earlier = (await b!.modelRegistry.version('v1', '1.0.0'))!;
        // Two rows of model_deployments change in the promote's transaction: one notification.
        await b!.modelRegistry.promote(earlier.id, { action: 'promote', actor: null, at: at(6) });
        await until(() => seen.length > 0);
        await b!.modelRegistry.rollback('v1', { actor: null, at: at(7) });
        await until(() => seen.length > 1);
        // A heartbeat's round trip later nothing more has come.
        await new Promise((done) => setTimeout(done, 100));
        expect(seen).toEqual([
          { kind: 'model', service: 'v1' },
          { kind: 'model', service: 'v1' },
        ]);
        expect((await b!.modelRegistry.live('v1'))?.version).toBe('1.1.0');
      } finally {
        stop();
      }
    },
  );

  it('racing promotes leave exactly one live version and one open span', async () => {
    // PostgreSQL: two pools, as two replicas race. SQLite has one process writing its file: one pool's calls race.
    const pools = dialect === 'postgresql' ? 2 : 1;
    const versions = await Promise.all(
      ['2.0.0', '2.1.0', '2.2.0', '2.3.0'].map((v, i) =>
        replicas[i % pools]!.modelRegistry.register({ ...candidate(v, `W${v}`), service: 'v2' }),
      ),
    );
    await Promise.all(
      versions.map((v, i) =>
        replicas[i % pools]!.modelRegistry.promote(v.id, { action: 'promote', actor: null, at: at(i) }),
      ),
    );
    const all = await replicas[0]!.modelRegistry.versions('v2');
    expect(all.filter((v) => v.state === 'live')).toHaveLength(1);
    expect(all.filter((v) => v.state === 'retired')).toHaveLength(3);
    const open = (await replicas[0]!.modelRegistry.history('v2')).filter((d) => d.liveUntil === null);
    expect(open.map((d) => d.version)).toEqual([all.find((v) => v.state === 'live')!.version]);
  });

  it('stored bytes that no longer match their SHA-256 are refused, naming the file; a failed version says why', async () => {
    const registry = replicas[0]!.modelRegistry;
    const version = await registry.register(candidate('3.0.0', 'CCCC'));
    const weights = version.files.find((f) => f.path === 'weights.f32')!;
    await dbs[0]!.sql.write('update model_files set bytes = ? where sha256 = ?', [Buffer.from('CCCD'), weights.sha256]);
    const read = registry.files(version.id);
    await expect(read).rejects.toBeInstanceOf(ModelFilesCorruptError);
    await expect(read).rejects.toThrow('weights.f32');

    await registry.markFailed(version.id, 'weights.f32: the stored bytes do not match their SHA-256');
    const failed = await registry.version('v1', '3.0.0');
    expect(failed).toMatchObject({ state: 'failed', failure: expect.stringContaining('weights.f32') });
  });
});
