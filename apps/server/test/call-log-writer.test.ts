import {
  createRepositories,
  openDatabase,
  PredictionLog,
  ServiceCall,
  User,
  type Database,
  type NewCall,
  type NewPrediction,
} from '@mlapi/db';
import { createTestDatabase, testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLogWriter } from '../src/features/call-log/call-log-writer.ts';

const call = (owner: number, success = true): NewCall => {
  const now = new Date();
  return {
    serviceVersion: 'v1',
    success,
    error: success ? null : 'boom',
    owner,
    requestTime: now,
    completionTime: now,
    duration: 1,
    modelVersion: '1',
  };
};
const prediction = (label: string): NewPrediction => ({
  serviceVersion: 'v1',
  modelName: 'm',
  modelVersion: '1',
  input: { text: label },
  output: { category: label },
  predictedValue: null,
  predictedLabel: label,
  createdAt: new Date(),
});

describe.each(testDialects)('CallLogWriter group commit (%s)', (dialect) => {
  const database = createTestDatabase(dialect);
  let db: Database;
  let owner: number;
  beforeAll(async () => {
    db = await openDatabase(database.url);
    const em = db.fork();
    const user = em.create(User, {
      username: `w.${dialect}@example.com`,
      firstName: 'W',
      lastName: 'R',
      hashedPassword: 'x',
    } as never);
    await em.flush();
    owner = (user as { id: number }).id;
  });
  afterAll(async () => {
    await db?.close();
    await database.drop();
  });

  it('writes the calls waiting together in one transaction, and gives each its own prediction ids', async () => {
    const writer = new CallLogWriter(createRepositories(db).callLog);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => writer.write(call(owner), [prediction(`a${i}`), prediction(`b${i}`)])),
    );
    expect(writer.stats).toEqual({ transactions: 1, calls: 50 });
    const em = db.fork();
    for (const [i, ids] of replies.entries()) {
      expect(ids).toHaveLength(2);
      const logs = await em.find(PredictionLog, { id: { $in: ids } }, { orderBy: { id: 'asc' } });
      expect(logs.map((l) => l.predictedLabel)).toEqual([`a${i}`, `b${i}`]);
      expect(new Set(logs.map((l) => l.serviceCallId)).size).toBe(1);
    }
  });

  it('splits a long queue by maxCalls and a failed-call row has no predictions', async () => {
    const writer = new CallLogWriter(createRepositories(db).callLog, { maxCalls: 16 });
    const before = await db.fork().count(ServiceCall, {});
    const replies = await Promise.all(Array.from({ length: 40 }, () => writer.write(call(owner, false), [])));
    expect(replies.every((ids) => ids.length === 0)).toBe(true);
    expect(writer.stats).toEqual({ transactions: 3, calls: 40 });
    expect(await db.fork().count(ServiceCall, {})).toBe(before + 40);
  });

  it('with a linger, a call after an idle spell is still written at once', async () => {
    // A linger this long would outlast the test's timeout if the lone call waited for it.
    const writer = new CallLogWriter(createRepositories(db).callLog, { lingerMs: 60_000 });
    await writer.write(call(owner), [prediction('alone')]);
    expect(writer.stats).toEqual({ transactions: 1, calls: 1 });
  });

  it('under load, a transaction starts a linger after the previous one, taking the calls of that time, unless maxCalls are waiting', async () => {
    const lingering = new CallLogWriter(createRepositories(db).callLog, { lingerMs: 300 });
    const first = lingering.write(call(owner), [prediction('first')]);
    // Queued after the writer's own turn: while (PostgreSQL) or just after (SQLite) the first transaction.
    const next = new Promise<number[]>((done) => setImmediate(() => done(lingering.write(call(owner), []))));
    await first;
    // 20 ms after the first transaction: within the 300 ms the next one waits for.
    const later = new Promise<number[]>((done) =>
      setTimeout(() => done(lingering.write(call(owner), [prediction('later')])), 20),
    );
    await Promise.all([next, later]);
    expect(lingering.stats).toEqual({ transactions: 2, calls: 3 });

    // A linger far past the test's timeout, cut short when maxCalls (4) are waiting.
    const full = new CallLogWriter(createRepositories(db).callLog, { lingerMs: 60_000, maxCalls: 4 });
    const head = full.write(call(owner), []);
    const second = new Promise<number[]>((done) => setImmediate(() => done(full.write(call(owner), []))));
    await head;
    await Promise.all([second, ...Array.from({ length: 3 }, () => full.write(call(owner), []))]);
    expect(full.stats).toEqual({ transactions: 2, calls: 5 });
  });

  it('one bad row fails alone: its neighbours in the batch are still stored and acknowledged', async () => {
    const writer = new CallLogWriter(createRepositories(db).callLog);
    const before = await db.fork().count(ServiceCall, {});
    const outcomes = await Promise.allSettled([
      writer.write(call(owner), [prediction('x')]),
      writer.write(call(987_654_321), [prediction('orphan')]),
      writer.write(call(owner), [prediction('y')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await db.fork().count(ServiceCall, {})).toBe(before + 2);
    await writer.drained();
  });
});
