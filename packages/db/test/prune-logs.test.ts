import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, pruneLogs, type Database, type Repositories } from '../src/index.ts';
import { dialectOf } from '../src/dialect.ts';
import { monthPartitionsSql, partitionedTables } from '../src/partitions/partition-sql.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { loggedCall, newUser } from './fixtures.ts';

const dayMs = 86_400_000;
const now = new Date(Date.UTC(2026, 11, 6, 12));

/** A shadow prediction of each prediction, made at the same instant. */
const shadowOf = (data: Repositories, ids: number[], times: Date[]) =>
  data.shadowPredictions.insertBatch(
    ids.map((predictionId, i) => ({
      predictionId,
      serviceVersion: 'v2',
      modelVersion: 'candidate',
      success: true,
      error: null,
      duration: 1,
      output: { price: 1 },
      predictedValue: 1,
      predictedLabel: null,
      createdAt: times[i]!,
    })),
  );

describe.each(testDialects)('pruning the raw logs on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  let db: Database;
  let data: Repositories;
  let owner: number;
  beforeAll(async () => {
    db = await openDatabase(testDb.url);
    data = createRepositories(db);
    owner = (await data.users.insert(newUser('prune@example.com'))).id;
  });
  afterAll(async () => {
    await db?.close();
    await testDb.drop();
  });

  /** Calls of one prediction each, logged at these instants; their prediction ids. */
  const logCalls = async (times: Date[]) =>
    (
      await data.callLog.insertBatch(times.map((at) => loggedCall(owner, at, { service: 'v2', input: { rooms: 3 } })))
    ).map(([id]) => id!);
  const count = async (table: string) => Number((await db.sql.read(`select count(*) as n from ${table}`, []))[0]?.n);
  const usage = () =>
    Promise.all([
      data.usage.hours({ from: new Date(now.getTime() - 200 * dayMs), to: now }, []),
      data.predictions.regressionSums({ service: 'v2' }),
    ]);

  it('removes the rows older than the window, in batches, and keeps the rollups and labelled examples', async () => {
    const cutoff = now.getTime() - 30 * dayMs;
    const old = [100, 40, 31].map((d) => new Date(now.getTime() - d * dayMs));
    const kept = [new Date(cutoff), new Date(cutoff + 1), new Date(now.getTime() - 29 * dayMs), now];
    const oldIds = await logCalls(old);
    const [oldest] = oldIds;
    await shadowOf(data, oldIds, old);
    await shadowOf(data, await logCalls(kept), kept);
    await data.predictions.recordTruth(oldest!, 23, now);
    const before = await usage();

    const seen: number[] = [];
    const result = await pruneLogs(db, {
      retentionDays: 30,
      now,
      batchRows: 2,
      onProgress: (p) => seen.push(p.calls + p.predictions),
    });
    expect(result).toMatchObject({
      outcome: 'done',
      predictions: 3,
      shadowPredictions: 3,
      calls: 3,
      cutoff: new Date(cutoff),
    });
    expect(seen.length).toBeGreaterThan(2);
    expect(await count('service_calls')).toBe(4);
    expect(await count('prediction_logs')).toBe(4);
    expect(await count('shadow_predictions')).toBe(4);
    const [newest] = await db.sql.read('select min(request_time) as t from service_calls', []);
    expect(dialectOf(dialect).date(newest?.t).getTime()).toBe(cutoff);
    expect(await usage()).toEqual(before);
    const [example] = await db.sql.read('select true_value from labelled_examples where prediction_id = ?', [oldest]);
    expect(Number(example?.true_value)).toBe(23);

    expect(await pruneLogs(db, { retentionDays: 30, now })).toMatchObject({
      outcome: 'done',
      calls: 0,
      predictions: 0,
    });
    expect(await pruneLogs(db, { retentionDays: 0, now: new Date(now.getTime() + 1000 * dayMs) })).toMatchObject({
      calls: 0,
    });
    expect(await count('service_calls')).toBe(4);
  });

  it('stops between batches when told, and a later prune finishes the work', async () => {
    await logCalls(Array.from({ length: 6 }, (_, i) => new Date(now.getTime() - (60 + i) * dayMs)));
    const stop = new AbortController();
    const first = await pruneLogs(db, {
      retentionDays: 30,
      now,
      batchRows: 2,
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    expect(first).toMatchObject({ outcome: 'stopped', predictions: 2, calls: 0 });
    expect(await pruneLogs(db, { retentionDays: 30, now, batchRows: 2 })).toMatchObject({
      outcome: 'done',
      predictions: 4,
      calls: 6,
    });
    expect(await count('service_calls')).toBe(4);
  });

  it.runIf(dialect === 'postgresql')('lets one process prune at a time', async () => {
    const other = await openDatabase(testDb.url, { migrate: false });
    try {
      await other.sql.session(async (run) => {
        await run('select pg_advisory_lock(?)', [0x7072756e]);
        try {
          expect(await pruneLogs(db, { retentionDays: 30, now })).toMatchObject({ outcome: 'locked' });
        } finally {
          await run('select pg_advisory_unlock(?)', [0x7072756e]);
        }
      });
      expect(await pruneLogs(db, { retentionDays: 30, now })).toMatchObject({ outcome: 'done' });
    } finally {
      await other.close();
    }
  });
});

describe('pruning by month partitions on postgresql', () => {
  const testDb = createTestDatabase('postgresql');
  afterAll(() => testDb.drop());

  it('detaches and drops the months that end by the cutoff, keeps the month holding it, and makes months ahead', async () => {
    const db = await openDatabase(testDb.url);
    try {
      const data = createRepositories(db);
      const owner = (await data.users.insert(newUser('months@example.com'))).id;
      // Months from June 2026 on, as the migration makes them from the oldest row.
      for (const table of partitionedTables)
        await db.sql.write(monthPartitionsSql(table, "timestamptz '2026-06-15T00:00:00Z'"), []);
      const times = ['2026-08-10', '2026-10-31T23:59:59', '2026-11-02', '2026-12-01'].map(
        (d) => new Date(`${d}${d.includes('T') ? 'Z' : 'T12:00:00Z'}`),
      );
      const ids = (await data.callLog.insertBatch(times.map((at) => loggedCall(owner, at)))).map(([id]) => id!);
      await shadowOf(data, ids, times);
      const partitions = async () =>
        (
          await db.sql.read(
            `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
             where i.inhparent = 'service_calls'::regclass order by 1`,
            [],
          )
        ).map((r) => String(r.name));
      expect(await partitions()).toContain('service_calls_p202608');
      await db.sql.write('analyze', []); // the counts are the planner's estimates

      const result = await pruneLogs(db, { retentionDays: 30, now });
      expect(result.outcome).toBe('done');
      expect(result.calls).toBe(2);
      const left = await partitions();
      for (const month of ['202606', '202607', '202608', '202609', '202610'])
        expect(left).not.toContain(`service_calls_p${month}`);
      expect(left).toEqual(
        expect.arrayContaining(['service_calls_p202611', 'service_calls_p202612', 'service_calls_default']),
      );
      // The month holding the cutoff (6 November) stays whole until it has passed.
      const rows = await db.sql.read('select request_time from service_calls order by request_time', []);
      expect(rows.map((r) => dialectOf('postgresql').date(r.request_time).toISOString().slice(0, 10))).toEqual([
        '2026-11-02',
        '2026-12-01',
      ]);
      const [logs] = await db.sql.read('select count(*) as n from prediction_logs', []);
      expect(Number(logs?.n)).toBe(2);
      const [shadows] = await db.sql.read('select count(*) as n from shadow_predictions', []);
      expect(Number(shadows?.n)).toBe(2);
      expect(result.shadowPredictions).toBe(2);
    } finally {
      await db.close();
    }
  });
});
