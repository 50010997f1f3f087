import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, type Database, type Repositories } from '../src/index.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';

const end = Date.now() + 60_000;

describe.each(testDialects)('quota leases on %s', (dialect) => {
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

  it('concurrent reservations from two pools never reserve more than the limit, and grant all of it', async () => {
    const key = 'quota:v1:1:minute:1';
    const grants = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        replicas[i % 2]!.quotaLeases.reserve([{ key, want: 7, limit: 100, expire: end }]),
      ),
    );
    const granted = grants.map(([g]) => g!.granted);
    expect(granted.reduce((a, b) => a + b, 0)).toBe(100);
    expect(granted.every((g) => g >= 0 && g <= 7)).toBe(true);
    expect(Math.max(...grants.map(([g]) => g!.reserved))).toBe(100);
    expect(await replicas[0]!.quotaLeases.reserved(key)).toBe(100);
  });

  it('both windows in one statement, each granted what it has left', async () => {
    const minute = 'quota:v1:2:minute:1';
    const day = 'quota:v1:2:day:1';
    await replicas[0]!.quotaLeases.reserve([{ key: day, want: 8, limit: 10, expire: end }]);
    const grants = await replicas[1]!.quotaLeases.reserve([
      { key: minute, want: 5, limit: 100, expire: end },
      { key: day, want: 5, limit: 10, expire: end },
    ]);
    expect(grants).toEqual([
      { granted: 5, reserved: 5 },
      { granted: 2, reserved: 10 },
    ]);
    const [over] = await replicas[0]!.quotaLeases.reserve([{ key: day, want: 1, limit: 10, expire: end }]);
    expect(over).toEqual({ granted: 0, reserved: 10 });
  });

  it('units given back can be reserved again; a lowered limit grants nothing until enough is back', async () => {
    const key = 'quota:v2:3:minute:1';
    const { quotaLeases } = replicas[0]!;
    expect(await quotaLeases.reserve([{ key, want: 50, limit: 50, expire: end }])).toEqual([
      { granted: 50, reserved: 50 },
    ]);
    expect(await quotaLeases.reserve([{ key, want: 5, limit: 40, expire: end }])).toEqual([
      { granted: 0, reserved: 50 },
    ]);
    await replicas[1]!.quotaLeases.giveBack([{ key, units: 20 }]);
    expect(await quotaLeases.reserved(key)).toBe(30);
    expect(await quotaLeases.reserve([{ key, want: 25, limit: 40, expire: end }])).toEqual([
      { granted: 10, reserved: 40 },
    ]);
    // More than was reserved is never taken back (the window stays as it is), nor anything from an unknown window.
    await quotaLeases.giveBack([
      { key, units: 41 },
      { key: 'quota:v2:3:day:1', units: 3 },
    ]);
    expect(await quotaLeases.reserved(key)).toBe(40);
    expect(await quotaLeases.reserved('quota:v2:3:day:1')).toBe(0);
  });
});
