import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRepositories,
  entityColumns,
  insertRows,
  openDatabase,
  PredictionLog,
  rebuildRollups,
  ServiceCall,
  type Database,
  type LoggedCall,
} from '../src/index.ts';
import { dialectOf } from '../src/dialect.ts';
import type { DriverSql } from '../src/driver-sql.ts';
import { callLogRepository } from '../src/repositories/call-log.ts';
import { callLogStatement } from '../src/repositories/call-log-statement.ts';
import { createTestDatabase, testDialects, type TestDialect } from '../src/testing.ts';
import { loggedCall, newUser } from './fixtures.ts';
import { mixedBatches } from './mixed-calls.ts';

/** Every row of the call log and its rollups, in plain values comparable across dialects. */
async function stored(db: Database) {
  const d = dialectOf(db.target.dialect);
  const all = (table: string, order: string) => db.sql.read(`select * from ${table} order by ${order}`, []);
  const plain = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        ['success', 'is_train_data'].includes(k)
          ? d.bool(v)
          : ['request_time', 'completion_time', 'created_at'].includes(k)
            ? d.date(v).getTime()
            : ['input', 'output'].includes(k)
              ? d.json(v)
              : typeof v === 'string' && /^-?\d+$/.test(v) && !['error', 'predicted_label'].includes(k)
                ? Number(v)
                : v,
      ]),
    );
  return {
    calls: (await all('service_calls', 'id')).map(plain),
    predictions: (await all('prediction_logs', 'id')).map(plain),
    call_rollups: (await all('call_rollups', 'bucket, service_version, model_version, success')).map(plain),
    user_rollups: (await all('user_rollups', 'owner_id, bucket, service_version')).map(plain),
    user_day_rollups: (await all('user_day_rollups', 'owner_id, day, service_version')).map(plain),
  };
}

/** Sums of doubles in another order (the rebuild's): equal up to rounding in the last digits. */
const roundish = (rows: Record<string, unknown>[]) =>
  rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(12)) : v])),
  );

describe('one batch of mixed calls, on PostgreSQL as on SQLite', () => {
  const databases = testDialects.map((d) => ({ dialect: d, test: createTestDatabase(d) }));
  const opened = new Map<TestDialect, Database>();
  const ids = new Map<TestDialect, number[][][]>();
  const owners = [1, 2, 3, 4];
  // A lone call, a failed one, mid-sized, and the writer's largest; several land in the same rollup rows.
  const batches = mixedBatches(owners, 11, [1, 1, 7, 40, 256, 3]);

  beforeAll(async () => {
    for (const { dialect, test } of databases) {
      const db = await openDatabase(test.url);
      opened.set(dialect, db);
      const data = createRepositories(db);
      for (const n of owners) expect((await data.users.insert(newUser(`u${n}@example.com`))).id).toBe(n);
      const out: number[][][] = [];
      for (const batch of batches) out.push(await data.callLog.insertBatch(batch));
      ids.set(dialect, out);
    }
  });
  afterAll(async () => {
    for (const { dialect, test } of databases) {
      await opened.get(dialect)?.close();
      await test.drop();
    }
  });

  it('gives every caller its prediction ids, ascending in the order of its rows, the same on both', () => {
    const pg = ids.get('postgresql')!;
    expect(pg).toEqual(ids.get('sqlite'));
    const flat = pg.flat(2);
    expect(flat).toHaveLength(batches.flat().reduce((n, c) => n + c.predictions.length, 0));
    expect(flat).toEqual([...flat].sort((a, b) => a - b));
    pg.forEach((batch, b) => batch.forEach((list, c) => expect(list).toHaveLength(batches[b]![c]!.predictions.length)));
  });

  it('stores the same calls, predictions (inputs, outputs, doubles) and rollups on both', async () => {
    const pg = await stored(opened.get('postgresql')!);
    const lite = await stored(opened.get('sqlite')!);
    expect(pg.calls).toHaveLength(batches.flat().length);
    expect(pg.calls.filter((c) => !c.success).length).toBeGreaterThan(10);
    expect(new Set(pg.call_rollups.map((r) => r.bucket)).size).toBeGreaterThan(8);
    expect(Math.max(...pg.user_day_rollups.map((r) => Number(r.calls)))).toBeGreaterThan(1);
    expect(pg).toEqual(lite);
  });

  it('adds to the rollups exactly what the rebuild computes from the raw rows', async () => {
    const db = opened.get('postgresql')!;
    const written = await stored(db);
    for (const table of ['call_rollups', 'user_rollups', 'user_day_rollups'])
      await db.sql.write(`delete from ${table}`, []);
    await rebuildRollups(db);
    const rebuilt = await stored(db);
    for (const table of ['call_rollups', 'user_rollups', 'user_day_rollups'] as const)
      expect(roundish(rebuilt[table])).toEqual(roundish(written[table]));
  });
});

describe('the call log statement on PostgreSQL', () => {
  const test = createTestDatabase('postgresql');
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(test.url);
    await createRepositories(db).users.insert(newUser('one@example.com'));
  });
  afterAll(async () => {
    await db?.close();
    await test.drop();
  });

  it('writes every column of the call log, but those feedback sets later', () => {
    const { columns } = callLogStatement(db.orm);
    const all = (entity: typeof ServiceCall | typeof PredictionLog) =>
      entityColumns(db.orm, entity)
        .columns.split(', ')
        .map((c) => c.replace(/"/g, ''))
        .filter((c) => c !== 'id');
    expect([...columns.calls].sort()).toEqual(all(ServiceCall).sort());
    const later = ['true_value', 'true_label', 'feedback_time', 'is_train_data'];
    expect([...columns.predictions, ...later].sort()).toEqual(all(PredictionLog).sort());
  });

  it('stores every value as binding it as a parameter does, edge cases included', async () => {
    const [[c]] = mixedBatches([1], 8, [1]) as [[LoggedCall]];
    const edges: LoggedCall = {
      call: { ...c.call, success: false, error: 'lone \ud83d high, lone \ude00 low', duration: 0.1 + 0.2 },
      predictions: [NaN, Infinity, -Infinity, 5e-324, -0].map((v) => ({
        ...loggedCall(1, c.call.requestTime, { service: 'v2' }).predictions[0]!,
        predictedValue: v,
        predictedLabel: 'x\udfff',
      })),
    };
    const [ids] = await createRepositories(db).callLog.insertBatch([edges]);
    const [callId, bound] = await db.sql.transaction(async (run) => {
      const [id] = await insertRows(db.orm, db.sql, run, ServiceCall, [edges.call]);
      const rows = edges.predictions.map((p) => ({ ...p, serviceCallId: id }));
      return [id!, await insertRows(db.orm, db.sql, run, PredictionLog, rows)];
    });
    const row = async (table: string, id: number) => {
      const [{ id: _id, service_call_id: _call, ...rest } = {}] = await db.sql.read(
        `select * from ${table} where id = ?`,
        [id],
      );
      return rest;
    };
    const [written] = await db.sql.read('select max(id) as id from service_calls where id < ?', [callId]);
    expect(await row('service_calls', Number(written?.id))).toEqual(await row('service_calls', callId));
    for (const [i, id] of ids!.entries())
      expect(await row('prediction_logs', id)).toEqual(await row('prediction_logs', bound[i]!));
    expect(await row('prediction_logs', ids![0]!)).toMatchObject({ predicted_value: NaN, predicted_label: 'x\ufffd' });
  });

  it('is one statement, of one text, for a batch of any size: no transaction round trips', async () => {
    const seen = { texts: new Set<string>(), writes: 0, transactions: 0 };
    const sql: DriverSql = {
      ...db.sql,
      write(text, params) {
        seen.texts.add(text);
        seen.writes++;
        return db.sql.write(text, params);
      },
      transaction(work) {
        seen.transactions++;
        return db.sql.transaction(work);
      },
    };
    const callLog = callLogRepository({ db: { ...db, sql }, dialect: dialectOf('postgresql') });
    const sizes = [1, 2, 5, 33, 100, 256, 300];
    const count = async () => Number((await db.sql.read('select count(*) as n from service_calls', []))[0]?.n);
    const before = await count();
    for (const batch of mixedBatches([1], 5, sizes)) await callLog.insertBatch(batch);
    expect(seen).toEqual({ texts: expect.any(Set), writes: sizes.length, transactions: 0 });
    expect(seen.texts.size).toBe(1);
    expect(await count()).toBe(before + sizes.reduce((a, b) => a + b, 0));
    // Each connection parsed it at most once: the prepared statements stay bounded.
    const prepared = await db.sql.session((run) =>
      run(
        `select count(*) as n from pg_prepared_statements
         where statement like '%add_predictions%' and statement not like '%pg_prepared_statements%'`,
        [],
      ),
    );
    expect(Number(prepared[0]?.n)).toBe(1);
  });
});

describe.each(testDialects)('a batch that cannot be stored on %s', (dialect) => {
  const test = createTestDatabase(dialect);
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(test.url);
    await createRepositories(db).users.insert(newUser('one@example.com'));
  });
  afterAll(async () => {
    await db?.close();
    await test.drop();
  });

  it('stores none of its calls, predictions or rollups, and the next batch goes through', async () => {
    const data = createRepositories(db);
    const [good] = mixedBatches([1], 3, [20]);
    await data.callLog.insertBatch(good!);
    const before = await stored(db);
    const [batch] = mixedBatches([1], 4, [30]);
    // A call of a user that does not exist: the foreign key refuses it, and with it the whole batch.
    const bad: LoggedCall[] = batch!.map((c, i) => (i === 17 ? { ...c, call: { ...c.call, owner: 999_999 } } : c));
    await expect(data.callLog.insertBatch(bad)).rejects.toThrow();
    expect(await stored(db)).toEqual(before);
    const ids = await data.callLog.insertBatch(batch!);
    expect(ids.flat().length).toBe(batch!.reduce((n, c) => n + c.predictions.length, 0));
    expect((await stored(db)).calls).toHaveLength(50);
  });
});
