import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, rebuildRollups, type Database, type LoggedCall } from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';
import { loggedCall, newUser } from './fixtures.ts';
import { seeded } from './mixed-calls.ts';

describe('call log writers of two PostgreSQL replicas on the same rollup rows', () => {
  const test = createTestDatabase('postgresql');
  const replicas: Database[] = [];
  const owners: number[] = [];
  // Two buckets either side of midnight UTC: every batch touches the same few rollup rows of all three tables.
  const midnight = Date.UTC(2026, 11, 7);
  const instants = [midnight - 60_000, midnight + 60_000];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) replicas.push(await openDatabase(test.url));
    const users = createRepositories(replicas[0]!).users;
    for (let i = 0; i < 3; i++) owners.push((await users.insert(newUser(`hot${i}@example.com`))).id);
  });
  afterAll(async () => {
    for (const db of replicas) await db.close();
    await test.drop();
  });

  /** A batch over every hot key, in an order of its own (so each batch meets the keys in another order). */
  function batch(seed: number): LoggedCall[] {
    const r = seeded(seed);
    const calls: LoggedCall[] = [];
    for (const owner of owners)
      for (const at of instants)
        for (const service of ['v1', 'v2'] as const) {
          const c = loggedCall(owner, new Date(at), { service });
          calls.push(c, { call: { ...c.call, success: false, error: 'refused' }, predictions: [] });
        }
    return calls
      .map((c) => ({ c, k: r() }))
      .sort((a, b) => a.k - b.k)
      .map(({ c }) => c);
  }

  it('never deadlock, and add up to what the raw rows say', async () => {
    const loops = 4;
    const batches = 15;
    const outcomes = await Promise.allSettled(
      replicas.flatMap((db, replica) => {
        const callLog = createRepositories(db).callLog;
        return Array.from({ length: loops }, async (_, loop) => {
          for (let i = 0; i < batches; i++) await callLog.insertBatch(batch(replica * 1000 + loop * 100 + i));
        });
      }),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);

    const db = replicas[0]!;
    const perBatch = batch(0).length;
    const total = replicas.length * loops * batches * perBatch;
    const sum = async (table: string) => Number((await db.sql.read(`select sum(calls) as n from ${table}`, []))[0]?.n);
    expect([await sum('call_rollups'), await sum('user_rollups'), await sum('user_day_rollups')]).toEqual([
      total,
      total,
      total,
    ]);
    const read = (table: string) => db.sql.read(`select * from ${table} order by 1, 2, 3, 4`, []);
    const before = await Promise.all(['call_rollups', 'user_rollups', 'user_day_rollups'].map(read));
    await rebuildRollups(db);
    expect(await Promise.all(['call_rollups', 'user_rollups', 'user_day_rollups'].map(read))).toEqual(before);
  });
});
