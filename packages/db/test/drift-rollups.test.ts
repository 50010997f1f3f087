import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, rebuildRollups, type Database, type Repositories } from '../src/index.ts';
import { bucketOf } from '../src/rollups/buckets.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { loggedCall, newUser } from './fixtures.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));

describe.each(testDialects)('drift rollups written with the call log (%s)', (dialect) => {
  const test = createTestDatabase(dialect);
  let db: Database;
  let data: Repositories;
  const window = (modelVersion = '1.0.0') => ({
    service: 'v2' as const,
    modelVersion,
    firstBucket: bucketOf(at(0)),
    endBucket: bucketOf(at(59)) + 1,
  });

  beforeAll(async () => {
    db = await openDatabase(test.url);
    data = createRepositories(db);
    await data.users.insert(newUser('one@example.com', { hasAccessV2: true }));
    const call = (minute: number, rm: number, bin: number) => ({
      ...loggedCall(1, at(minute), { service: 'v2' }),
      drift: [
        { feature: 'rm', bin, count: 1, valueSum: rm },
        { feature: 'prediction', bin: 0, count: 1, valueSum: 20 },
      ],
    });
    // Two batches; the first has two calls in the same bin (one row per key in a statement), the second adds to it.
    await data.callLog.insertBatch([call(1, 6, 4), call(2, 6.5, 4), call(20, 8, 9)]);
    await data.callLog.insertBatch([call(3, 6.25, 4), loggedCall(1, at(4), { service: 'v2' })]);
  });
  afterAll(async () => {
    await db?.close();
    await test.drop();
  });

  it('sums the counts and values per quantity and bin over a window', async () => {
    const totals = await data.drift.totals(window());
    const sorted = totals.sort((a, b) => a.feature.localeCompare(b.feature) || a.bin - b.bin);
    expect(sorted).toEqual([
      { feature: 'prediction', bin: 0, count: 4, valueSum: 80 },
      { feature: 'rm', bin: 4, count: 3, valueSum: 18.75 },
      { feature: 'rm', bin: 9, count: 1, valueSum: 8 },
    ]);
    expect(await data.drift.totals(window('2.0.0'))).toEqual([]);
  });

  it('is left alone by the rollup rebuild (its bins come from the model cards, not the raw rows)', async () => {
    await rebuildRollups(db);
    expect(await data.drift.totals(window())).toHaveLength(3);
  });
});
