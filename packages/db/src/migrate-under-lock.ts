import type { DatabaseTarget } from './database-url.ts';
import type { Orm } from './orm.ts';

/** The advisory lock key every process migrating a PostgreSQL database takes ('mlap' in ASCII). */
const migrationLockKey = 0x6d6c6170;

/** A database whose schema is behind the code, opened by a process told not to migrate it. */
export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `the database is ${pending.length} migration(s) behind this version (${pending.join(', ')}): ` +
        'run `npm run db:migrate`, or start with MIGRATE_ON_START=true',
    );
    this.name = 'PendingMigrationsError';
  }
}

/**
 * Applies the pending migrations, one process at a time: on PostgreSQL under a transaction-level advisory lock held
 * on a connection of its own while the migrator runs, so replicas starting together migrate once — the first
 * applies, the others wait (`onWait` is told) and then find nothing left. SQLite is one process's file. Returns the
 * names of the migrations applied.
 */
export async function migrateUnderLock(orm: Orm, target: DatabaseTarget, onWait?: () => void): Promise<string[]> {
  const up = async () => (await orm.getMigrator().up()).map((m) => m.name);
  if (target.dialect !== 'postgresql') return up();
  const knex = orm.em.getConnection().getKnex();
  return knex.transaction(async (trx) => {
    const tried = await trx.raw<{ rows: { locked: boolean }[] }>('select pg_try_advisory_xact_lock(?) as locked', [
      migrationLockKey,
    ]);
    if (!tried.rows[0]?.locked) {
      onWait?.();
      // Migrations at volume may take longer than the pool's statement timeout: wait as long as they do.
      await trx.raw('set local statement_timeout = 0');
      await trx.raw('select pg_advisory_xact_lock(?)', [migrationLockKey]);
    }
    return up();
  });
}

/** Refuses a database with pending migrations (for a process that must not migrate it). */
export async function assertMigrated(orm: Orm): Promise<void> {
  const pending = await orm.getMigrator().getPendingMigrations();
  if (pending.length) throw new PendingMigrationsError(pending.map((m) => m.name));
}
