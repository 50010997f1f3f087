import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyDatabaseError,
  createRepositories,
  DatabaseUnavailableError,
  DuplicateKeyError,
  isDatabaseUnavailable,
  openDatabase,
  type Database,
  type Repositories,
} from '../src/index.ts';
import { dialectOf } from '../src/dialect.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { loggedCall, newUser } from './fixtures.ts';

describe.each(testDialects)('repositories on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  let db: Database;
  let data: Repositories;
  beforeAll(async () => {
    db = await openDatabase(testDb.url);
    data = createRepositories(db);
  });
  afterAll(async () => {
    await db?.close();
    await testDb.drop();
  });

  it('a user reads back as a plain record with the stored types', async () => {
    const created = await data.users.insert(newUser('record@example.com', { country: 'NO' }));
    const read = await data.users.byId(created.id);
    expect(read).toEqual(created);
    expect(read).toMatchObject({
      isActive: true,
      hasAccessV2: false,
      tokenVersion: 0,
      callsPerMinute: null,
      country: 'NO',
    });
    expect(read!.createdAt).toBeInstanceOf(Date);
    expect(Object.isFrozen(read)).toBe(true);
    expect(await data.users.byUsername('record@example.com')).toEqual(created);
    expect(await data.users.byId(created.id + 1000)).toBeNull();
  });

  it('a taken username is a DuplicateKeyError, also when two inserts race past the check', async () => {
    await data.users.insert(newUser('taken@example.com'));
    await expect(data.users.insert(newUser('taken@example.com'))).rejects.toBeInstanceOf(DuplicateKeyError);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => data.users.insert(newUser('race@example.com'))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(DuplicateKeyError);
  });

  it('deleting a user keeps their calls and predictions with no owner, their inputs emptied; their user rollups go', async () => {
    const [user, other] = await Promise.all([
      data.users.insert(newUser('leaving@example.com')),
      data.users.insert(newUser('staying@example.com')),
    ]);
    const at = new Date();
    await data.callLog.insertBatch([
      loggedCall(user.id, at, { input: { text: 'private words' } }),
      loggedCall(other.id, at, { input: { text: 'kept words' } }),
    ]);
    await data.auditLog.audited({ actor: other, action: 'admin.delete', details: {} }, async (users) => {
      await users.lockUser(user.id);
      await users.delete(user.id);
      return { target: user, result: undefined };
    });
    const d = dialectOf(db.target.dialect);
    const calls = await db.sql.read(
      `select c.owner_id, p.input from service_calls c join prediction_logs p on p.service_call_id = c.id order by c.id`,
      [],
    );
    expect(calls.map((c) => [c.owner_id === null ? null : Number(c.owner_id), d.json(c.input)])).toEqual([
      [null, {}],
      [other.id, { text: 'kept words' }],
    ]);
    const rollups = await db.sql.read(
      'select owner_id from user_rollups union all select owner_id from user_day_rollups',
      [],
    );
    expect(rollups.map((r) => Number(r.owner_id))).toEqual([other.id, other.id]);
  });

  it('a call logged for a user deleted meanwhile is refused, with nothing of it stored', async () => {
    const user = await data.users.insert(newUser('gone.before@example.com'));
    await data.auditLog.audited({ actor: user, action: 'admin.delete', details: {} }, async (users) => {
      await users.delete(user.id);
      return { target: user, result: undefined };
    });
    const count = async () => Number((await db.sql.read('select count(*) as n from service_calls', []))[0]!.n);
    const before = await count();
    await expect(data.callLog.insertBatch([loggedCall(user.id, new Date())])).rejects.toThrow();
    expect(await count()).toBe(before);
  });

  it('a password change bumps the token version in the same statement', async () => {
    const user = await data.users.insert(newUser('pw@example.com'));
    await data.users.changePassword(user.id, 'y');
    await data.users.changePassword(user.id, 'z');
    expect(await data.users.byId(user.id)).toMatchObject({ hashedPassword: 'z', tokenVersion: 2 });
  });

  it('an admin change and its audit row commit together, or neither does', async () => {
    const actor = await data.users.insert(newUser('actor@example.com', { role: 'admin' }));
    const target = await data.users.insert(newUser('target@example.com'));
    const entry = { actor, action: 'admin.update', details: { is_active: false } };
    await expect(
      data.auditLog.audited(entry, async (tx) => {
        await tx.update(target.id, { isActive: false, callsPerDay: undefined });
        throw new Error('refused after the change');
      }),
    ).rejects.toThrow('refused after the change');
    expect(await data.users.byId(target.id)).toMatchObject({ isActive: true });
    expect((await data.auditLog.list({ targetUserId: target.id, limit: 10, offset: 0 })).total).toBe(0);

    await data.auditLog.audited(entry, async (tx) => {
      await tx.update(target.id, { isActive: false, callsPerDay: 5 });
      return { target, result: undefined };
    });
    // Undefined fields are left alone; given ones are written.
    expect(await data.users.byId(target.id)).toMatchObject({ isActive: false, hasAccessV1: true, callsPerDay: 5 });
    const { items, total } = await data.auditLog.list({ targetUserId: target.id, limit: 10, offset: 0 });
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({
      actorId: actor.id,
      actorUsername: actor.username,
      targetUsername: target.username,
      details: { is_active: false },
    });
  });

  it('history maps calls and their predictions; bucket numbers agree with the stored instants', async () => {
    const owner = await data.users.insert(newUser('history@example.com'));
    const at = new Date('2026-03-04T05:06:07.089Z');
    const call = {
      serviceVersion: 'v1' as const,
      success: true,
      error: null,
      owner: owner.id,
      requestTime: at,
      completionTime: at,
      duration: 2.5,
      modelVersion: '1.0.0',
    };
    const prediction = {
      serviceVersion: 'v1' as const,
      modelName: 'm',
      modelVersion: '1.0.0',
      input: { text: 'x' },
      output: { category: 'spam' },
      predictedValue: null,
      predictedLabel: 'spam',
      createdAt: at,
    };
    const ids = await data.callLog.insertBatch([
      { call, predictions: [prediction] },
      { call: { ...call, requestTime: new Date(at.getTime() + 1) }, predictions: [prediction, prediction] },
      { call: { ...call, success: false, error: 'refused', requestTime: new Date(at.getTime() + 2) }, predictions: [] },
    ]);
    const [single, batch] = [ids[0]![0], ids[1]!];
    const { items, total } = await data.callLog.history(owner.id, { limit: 10, offset: 0 });
    expect(total).toBe(3);
    expect(items.map((i) => [i.success, i.predictions, i.firstPredictionId])).toEqual([
      [false, 0, null],
      [true, 2, batch[0]],
      [true, 1, single],
    ]);
    expect(items[2]).toMatchObject({
      requestTime: at,
      duration: 2.5,
      ownerId: owner.id,
      error: null,
      output: { category: 'spam' },
    });
    expect(items[0]!.error).toBe('refused');

    const hours = await data.usage.hours({ from: at, to: new Date(at.getTime() + 1000), userId: owner.id }, []);
    expect(hours.every((h) => h.hour === Math.floor(at.getTime() / 3_600_000))).toBe(true);
    expect(hours.reduce((n, h) => n + h.calls, 0)).toBe(3);
  });

  it('feedback is stored on the prediction and read back for its owner', async () => {
    const owner = await data.users.insert(newUser('feedback@example.com'));
    const at = new Date();
    const [[id] = []] = await data.callLog.insertBatch([
      {
        call: {
          serviceVersion: 'v2',
          success: true,
          error: null,
          owner: owner.id,
          requestTime: at,
          completionTime: at,
          duration: 1,
          modelVersion: '2',
        },
        predictions: [
          {
            serviceVersion: 'v2',
            modelName: 'm',
            modelVersion: '2',
            input: {},
            output: {},
            predictedValue: 20,
            predictedLabel: null,
            createdAt: at,
          },
        ],
      },
    ]);
    expect(await data.predictions.forFeedback(id!, 'v1')).toBeNull();
    expect(await data.predictions.forFeedback(id!, 'v2')).toEqual({
      id,
      ownerId: owner.id,
      predicted: 20,
      input: {},
      labelled: false,
    });
    await data.predictions.recordTruth(id!, 23, at);
    const [sums] = await data.predictions.regressionSums({ service: 'v2', modelVersion: '2' });
    expect(sums).toMatchObject({ n: 1, sumAbsError: 3, sumSqError: 9, sumActual: 23 });
  });

  it('feedback makes the prediction a labelled example, corrected in place, kept when the logs are pruned', async () => {
    const owner = await data.users.insert(newUser('labelled@example.com'));
    const at = new Date(Date.UTC(2026, 5, 1, 12));
    const [[id] = []] = await data.callLog.insertBatch([
      loggedCall(owner.id, at, { input: { text: 'win a prize' }, predicted: 'spam' }),
    ]);
    const examples = () =>
      db.sql.read(
        `select prediction_id, owner_id, input, output, predicted_label, true_label, model_version, predicted_at,
           feedback_time, is_train_data from labelled_examples where prediction_id = ?`,
        [id],
      );
    expect(await examples()).toEqual([]);
    const later = new Date(at.getTime() + 3_600_000);
    await data.predictions.recordTruth(id!, 'ham', at);
    await data.predictions.recordTruth(id!, 'spam', later);
    const d = dialectOf(dialect);
    const check = (rows: Record<string, unknown>[]) => {
      expect(rows).toHaveLength(1);
      const [row] = rows;
      const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      expect({
        ...row,
        prediction_id: Number(row!.prediction_id),
        owner_id: Number(row!.owner_id),
        input: json(row!.input),
        output: json(row!.output),
        predicted_at: d.date(row!.predicted_at).toISOString(),
        feedback_time: d.date(row!.feedback_time).toISOString(),
        is_train_data: d.bool(row!.is_train_data),
      }).toEqual({
        prediction_id: id,
        owner_id: owner.id,
        input: { text: 'win a prize' },
        output: { category: 'spam' },
        predicted_label: 'spam',
        true_label: 'spam',
        model_version: '1.0.0',
        predicted_at: at.toISOString(),
        feedback_time: later.toISOString(),
        is_train_data: false,
      });
    };
    check(await examples());
    // The raw rows pruned: the labelled example stays.
    await db.sql.write('delete from prediction_logs where id = ?', [id]);
    await db.sql.write('delete from service_calls where request_time = ?', [d.bind(at)]);
    check(await examples());
  });
});

describe("database errors as the package's own", () => {
  it('a refused connection is DatabaseUnavailableError, the driver error as its cause', async () => {
    // A port that refuses: bound, then closed.
    const port = await new Promise<number>((done) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => done(port));
      });
    });
    const failure = await openDatabase(`postgresql://postgres@127.0.0.1:${port}/nothing`, {
      migrate: false,
      connectTimeoutMs: 500,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(Error);
    const classified = classifyDatabaseError(failure);
    expect(classified).toBeInstanceOf(DatabaseUnavailableError);
    expect((classified as Error).cause).toBe(failure);
    expect(isDatabaseUnavailable(failure)).toBe(true);
  });

  it('driver codes map to duplicate, bad input and outage; anything else passes through unchanged', () => {
    expect(classifyDatabaseError({ code: '23505' })).toBeInstanceOf(DuplicateKeyError);
    expect(classifyDatabaseError({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBeInstanceOf(DuplicateKeyError);
    expect(classifyDatabaseError({ code: '22003' })).toMatchObject({
      name: 'DatabaseInputError',
      reason: expect.stringMatching(/out of the range/),
    });
    expect(classifyDatabaseError({ code: '57P01' })).toBeInstanceOf(DatabaseUnavailableError);
    expect(classifyDatabaseError({ code: 'SQLITE_BUSY' })).toBeInstanceOf(DatabaseUnavailableError);
    // 08P01 is also what a statement the server cannot parse raises: not an outage.
    const protocol = { code: '08P01' };
    expect(classifyDatabaseError(protocol)).toBe(protocol);
    const own = new Error('a handler error');
    expect(classifyDatabaseError(own)).toBe(own);
  });
});
