import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import {
  entityColumns,
  entityData,
  insertRows,
  openDatabase,
  PredictionLog,
  ServiceCall,
  User,
  type Database,
  type EntityRef,
  type IUser,
} from '../src/index.ts';

describe.each(testDialects)('plain SQL beside the ORM on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  let db: Database;
  let owner: IUser;
  beforeAll(async () => {
    db = await openDatabase(testDb.url);
    const em = db.fork();
    owner = em.create(User, {
      username: 'raw@example.com',
      firstName: 'R',
      lastName: 'W',
      hashedPassword: 'x',
      isActive: true,
      hasAccessV1: true,
    });
    await em.flush();
  });
  afterAll(async () => {
    await db?.close();
    await testDb.drop();
  });

  const selectAll = async (entity: EntityRef, id: number) => {
    const { table, columns } = entityColumns(db.orm, entity);
    const [row] = await db.sql.read(`select ${columns} from ${table} where id = ?`, [id]);
    const { id: _id, ...rest } = row!;
    return rest;
  };

  it('a user read in plain SQL maps to the same data the ORM loads', async () => {
    const { table, columns } = entityColumns(db.orm, User);
    const [row] = await db.sql.read(`select ${columns} from ${table} where id = ?`, [owner.id]);
    const plain = entityData<IUser>(db.orm, User, row!);
    const loaded = await db.fork().findOneOrFail(User, { id: owner.id });
    expect(plain).toEqual({ ...loaded });
    expect(plain.createdAt).toBeInstanceOf(Date);
    expect(plain.isActive).toBe(true);
    expect(plain.hasAccessV2).toBe(false);
  });

  it('the read side sees a write committed through the ORM at once', async () => {
    const read = async () =>
      (await db.sql.read('select has_access_v2 from users where id = ?', [owner.id]))[0]!.has_access_v2;
    expect(Boolean(await read())).toBe(false);
    await db.fork().nativeUpdate(User, { id: owner.id }, { hasAccessV2: true });
    expect(Boolean(await read())).toBe(true);
  });

  it('rows inserted in plain SQL are stored exactly as the ORM stores them, ids in order', async () => {
    const when = new Date('2026-01-02T03:04:05.678Z');
    const call = {
      serviceVersion: 'v1' as const,
      success: true,
      error: null,
      owner: owner.id,
      requestTime: when,
      completionTime: when,
      duration: 1.5,
    };
    const prediction = {
      serviceVersion: 'v1' as const,
      modelName: 'm',
      modelVersion: '1',
      input: { text: 'héllo "x"' },
      output: { category: 'ham', p: [0.1, 0.9] },
      predictedValue: null,
      predictedLabel: 'ham',
      createdAt: when,
    };
    const em = db.fork();
    const ormCall = em.create(ServiceCall, call);
    await em.flush();
    const ormLog = em.create(PredictionLog, { ...prediction, serviceCallId: ormCall.id });
    await em.flush();

    const [callIds, logIds] = await db.sql.transaction(async (run) => {
      const calls = await insertRows(db.orm, db.sql, run, ServiceCall, [
        call,
        { ...call, success: false, error: 'boom' },
      ]);
      const many = Array.from({ length: 301 }, (_, n) => ({
        ...prediction,
        predictedLabel: `l${n + 1}`,
        serviceCallId: calls[0],
      }));
      const logs = await insertRows(db.orm, db.sql, run, PredictionLog, many);
      return [calls, logs];
    });
    expect(callIds).toHaveLength(2);
    expect(callIds[1]).toBeGreaterThan(callIds[0]!);
    expect(await selectAll(ServiceCall, callIds[0]!)).toEqual(await selectAll(ServiceCall, ormCall.id));
    const { service_call_id: rawCall, ...rawLog } = await selectAll(PredictionLog, logIds[0]!);
    const { service_call_id: ormCallId, ...ormRow } = await selectAll(PredictionLog, ormLog.id);
    expect(rawLog).toEqual({ ...ormRow, predicted_label: 'l1' });
    expect(Number(rawCall)).toBe(callIds[0]);
    // 301 rows go as statements of 256, 16, 16, 4, 4, 4 and 1 rows: every id still belongs to its own row.
    const stored = await db.fork().find(PredictionLog, { id: { $in: logIds } });
    const labelOf = new Map(stored.map((l) => [l.id, l.predictedLabel]));
    expect(logIds.map((id) => labelOf.get(id))).toEqual(Array.from({ length: 301 }, (_, n) => `l${n + 1}`));
    expect(Number(ormCallId)).toBe(ormCall.id);
  });

  it('a failing statement rolls the whole transaction back', async () => {
    const count = async () => Number((await db.sql.read('select count(*) as n from service_calls', []))[0]!.n);
    const before = await count();
    const call = {
      serviceVersion: 'v1',
      success: true,
      error: null,
      owner: owner.id,
      requestTime: new Date(),
      completionTime: new Date(),
      duration: 1,
    };
    await expect(
      db.sql.transaction(async (run) => {
        await insertRows(db.orm, db.sql, run, ServiceCall, [call]);
        await insertRows(db.orm, db.sql, run, ServiceCall, [{ ...call, serviceVersion: 'v9' }]);
      }),
    ).rejects.toThrow();
    expect(await count()).toBe(before);
    // and the connection is usable afterwards
    await db.sql.transaction((run) => insertRows(db.orm, db.sql, run, ServiceCall, [call]));
    expect(await count()).toBe(before + 1);
  });
});
