import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, rebuildRollups, type Database } from '../src/index.ts';
import { fillCalls, rollupFootprint, settleAfterFill, type FillResult } from '../src/bench/index.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';

const calls = 3000;
const now = new Date('2026-12-01T12:00:00Z');
/** Figures of each dialect's fill, to compare across dialects. */
const filled = new Map<string, unknown>();
const num = (v: unknown) => Number(v ?? 0);

describe.each(testDialects)('the volume bench fill on %s', (dialect) => {
  const target = createTestDatabase(dialect);
  let db: Database;
  let fill: FillResult;
  afterAll(async () => {
    await db?.close();
    await target.drop();
  });

  it('writes the calls asked for over the window, a prediction per success, feedback on some', async () => {
    db = await openDatabase(target.url);
    fill = await fillCalls(db, { calls, users: 20, days: 7, passwordHash: 'not a hash', now, chunk: 1000 });
    await settleAfterFill(db);
    const [c] = await db.sql.read(
      `select count(*) as n, sum(case when success then 0 else 1 end) as failed, min(request_time) as first,
         max(request_time) as last, count(distinct owner_id) as owners from service_calls`,
      [],
    );
    const [p] = await db.sql.read(
      `select count(*) as n, count(true_label) as labels, count(true_value) as values_
       from prediction_logs p join service_calls c on c.id = p.service_call_id where c.success`,
      [],
    );
    expect(num(c?.n)).toBe(calls);
    expect(fill.calls).toBe(calls);
    expect(num(p?.n)).toBe(calls - num(c?.failed));
    expect(fill.predictions).toBe(num(p?.n));
    expect(num(c?.failed)).toBeGreaterThan(0);
    expect(num(p?.labels)).toBeGreaterThan(0);
    expect(num(p?.values_)).toBeGreaterThan(0);
    expect(fill.feedback).toBe(num(p?.labels) + num(p?.values_));
    expect(num(c?.owners)).toBeGreaterThan(10);
    const span = [c?.first, c?.last].map((v) => (dialect === 'sqlite' ? Number(v) : new Date(v as string).getTime()));
    expect(span[0]).toBeGreaterThanOrEqual(now.getTime() - 7 * 86_400_000);
    expect(span[1]).toBeLessThanOrEqual(now.getTime());
    expect(fill.heavyUser.calls).toBeGreaterThan(calls / 20);
    filled.set(dialect, { failed: num(c?.failed), ...fill, seconds: 0 });
  });

  it('gives rollups, once rebuilt, that add up to the raw rows', async () => {
    await rebuildRollups(db);
    const [calls_] = await db.sql.read('select sum(calls) as n from call_rollups', []);
    const [users] = await db.sql.read('select sum(calls) as n, sum(failures) as f from user_rollups', []);
    const [days] = await db.sql.read('select sum(calls) as n from user_day_rollups', []);
    const [confusion] = await db.sql.read('select sum(count) as n from confusion_rollups', []);
    const [regression] = await db.sql.read('select sum(n) as n from regression_rollups', []);
    const [labels] = await db.sql.read(
      'select count(true_label) as l, count(true_value) as v from prediction_logs',
      [],
    );
    expect(num(calls_?.n)).toBe(calls);
    expect(num(users?.n)).toBe(calls);
    expect(num(days?.n)).toBe(calls);
    expect(num(users?.f)).toBe((filled.get(dialect) as { failed: number }).failed);
    expect(num(confusion?.n)).toBe(num(labels?.l));
    expect(num(regression?.n)).toBe(num(labels?.v));
    const footprint = await rollupFootprint(db);
    expect(footprint.rollups.map((t) => t.table)).toEqual([
      'call_rollups',
      'user_rollups',
      'user_day_rollups',
      'confusion_rollups',
      'regression_rollups',
    ]);
    for (const t of footprint.rollups) expect(t.rows).toBeGreaterThan(0);
    for (const t of [...footprint.rollups, ...footprint.logs]) expect(t.bytes).toBeGreaterThan(0);
  });
});

describe('the volume bench fill', () => {
  it('is the same on both dialects: every figure is a hash of the row number', () => {
    expect(filled.get('sqlite')).toEqual(filled.get('postgresql'));
  });
});
