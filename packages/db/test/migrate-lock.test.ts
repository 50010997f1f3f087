import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, PendingMigrationsError, type Database } from '../src/index.ts';
import { postgresqlMigrations } from '../src/migrations/postgresql/index.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';

const migrationLockKey = 0x6d6c6170;

describe('migrations at start-up on PostgreSQL: one process at a time', () => {
  const dbs = Array.from({ length: 3 }, () => createTestDatabase('postgresql'));
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it('waits while another process holds the migration lock, says so, and migrates once it is free', async () => {
    const holder = await openDatabase(dbs[0]!.url, { migrate: false });
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    let locked!: () => void;
    const lockTaken = new Promise<void>((done) => (locked = done));
    const holding = holder.sql.transaction(async (run) => {
      await run('select pg_advisory_xact_lock(?)', [migrationLockKey]);
      locked();
      await held;
    });
    await lockTaken;
    let waited = 0;
    let opened: Database | undefined;
    const opening = openDatabase(dbs[0]!.url, { onMigrationWait: () => waited++ }).then((db) => (opened = db));
    await new Promise((done) => setTimeout(done, 500));
    expect(waited).toBe(1);
    expect(opened).toBeUndefined();
    release();
    await holding;
    const db = await opening;
    const [row] = await db.sql.read('select count(*) as n from mikro_orm_migrations', []);
    expect(Number(row?.n)).toBe(postgresqlMigrations.length);
    await db.close();
    await holder.close();
  });

  it("migrates without the pool's statement timeout, which still holds for everything else", async () => {
    const url = dbs[2]!.url;
    const early = await openDatabase(url, { migrate: false });
    await early.orm.getMigrator().up({ to: postgresqlMigrations.at(-2)!.name });
    // While these locks are held, the last migration (and the check for it) waits far longer than the 100 ms
    // statement timeout below: it could not run under it.
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    let locked!: () => void;
    const lockTaken = new Promise<void>((done) => (locked = done));
    const holding = early.sql.transaction(async (run) => {
      await run('lock table mikro_orm_migrations, users, api_keys in access exclusive mode', []);
      locked();
      await held;
    });
    await lockTaken;
    let opened: Database | undefined;
    const opening = openDatabase(url, { statementTimeoutMs: 100 }).then((db) => (opened = db));
    await new Promise((done) => setTimeout(done, 500));
    expect(opened).toBeUndefined();
    release();
    await holding;
    const db = await opening;
    try {
      const [row] = await early.sql.read('select count(*) as n from mikro_orm_migrations', []);
      expect(Number(row?.n)).toBe(postgresqlMigrations.length);
      await expect(db.sql.read('select pg_sleep(0.3)', [])).rejects.toThrow(/statement timeout/);
    } finally {
      await db.close();
      await early.close();
    }
  });

  it('two processes starting together on an empty database apply each migration once', async () => {
    const [a, b] = await Promise.all([openDatabase(dbs[1]!.url), openDatabase(dbs[1]!.url)]);
    const rows = await a.sql.read('select name, count(*) as n from mikro_orm_migrations group by name', []);
    expect(rows).toHaveLength(postgresqlMigrations.length);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    await a.close();
    await b.close();
  });
});

describe.each(testDialects)('a process told not to migrate, on %s', (dialect) => {
  const testDb = createTestDatabase(dialect);
  afterAll(() => testDb.drop());

  it('refuses a database with pending migrations, naming them and the command, and opens a migrated one', async () => {
    const failure = await openDatabase(testDb.url, { migrate: 'verify' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(PendingMigrationsError);
    expect((failure as Error).message).toContain('npm run db:migrate');
    expect((failure as PendingMigrationsError).pending.length).toBeGreaterThan(5);
    await (await openDatabase(testDb.url)).close();
    await (await openDatabase(testDb.url, { migrate: 'verify' })).close();
  });
});
