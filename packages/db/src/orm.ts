import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
import { localChangeFeed, type ChangeFeed } from './changes/change-feed.ts';
import { PostgresChangeListener } from './changes/postgres-change-listener.ts';
import { createDriverSql, type DriverSql } from './driver-sql.ts';
import { assertMigrated, migrateUnderLock } from './migrate-under-lock.ts';
import { ormConfig, type OrmOptions } from './orm-config.ts';

export type Orm = MikroORM<AbstractSqlDriver>;
export type Em = SqlEntityManager;

export interface OpenDatabaseOptions extends OrmOptions {
  /**
   * Pending migrations: apply them, one process at a time (true, the default); refuse to open with
   * PendingMigrationsError ('verify'); or leave them (false: the migration scripts).
   */
  migrate?: boolean | 'verify';
  /** Told when another process holds the migration lock and this one waits for it. */
  onMigrationWait?: () => void;
  /** PostgreSQL: where to LISTEN for other writers' changes (default: the database URL itself). */
  listenUrl?: string;
  /** PostgreSQL: told when the listening connection is made or lost. */
  onListenConnection?: (state: 'connected' | 'lost', err?: unknown) => void;
}

export interface Database {
  orm: Orm;
  target: DatabaseTarget;
  /** A fresh EntityManager for one unit of work (one request). */
  fork(): Em;
  /** Plain SQL with cached prepared statements for the hot paths (user read, call log), outside the ORM; the repositories' own. */
  sql: DriverSql;
  /** Changes to users and API keys, for the caches of what authorization reads (started by the server only). */
  changes: ChangeFeed;
  close(): Promise<void>;
}

/** Connects, creates the PostgreSQL database if it is missing, and applies the committed migrations. */
export async function openDatabase(databaseUrl: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(databaseUrl);
  // The per-dialect options union is wider than init's parameter; the config is checked where it is built.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const orm = (await MikroORM.init(ormConfig(target, options) as never)) as Orm;
  try {
    if (target.dialect === 'postgresql') await ensurePostgresDatabase(orm, target.dbName);
    const migrate = options.migrate ?? true;
    if (migrate === 'verify') await assertMigrated(orm);
    else if (migrate) await applyMigrations(orm, target, options);
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  const sql = createDriverSql(orm, target, options.connectTimeoutMs ?? 5000);
  const changes =
    target.dialect === 'postgresql'
      ? new PostgresChangeListener({ url: options.listenUrl ?? target.url, onConnection: options.onListenConnection })
      : localChangeFeed();
  return {
    orm,
    target,
    fork: () => orm.em.fork(),
    sql,
    changes,
    close: async () => {
      await changes.close();
      await sql.close();
      await orm.close(true);
    },
  };
}

/** Creates the database if it is missing; another process creating it at the same moment is no failure. */
async function ensurePostgresDatabase(orm: Orm, dbName: string): Promise<void> {
  try {
    // Without `create`: the database only; the migrations make its tables.
    await orm.schema.ensureDatabase();
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 42P04 duplicate_database; 23505 when both inserted into pg_database at once.
    if (code !== '42P04' && code !== '23505') throw err;
    // MikroORM had switched to the management database to create it: back to ours.
    orm.config.set('dbName', dbName);
    await orm.reconnect();
  }
}

/**
 * Applies the pending migrations one process at a time (migrateUnderLock). On PostgreSQL through connections of
 * their own without the pool's 30-second statement timeout: a migration at volume may rewrite a large table.
 */
export async function applyMigrations(
  orm: Orm,
  target: DatabaseTarget,
  options: OpenDatabaseOptions = {},
): Promise<string[]> {
  if (target.dialect !== 'postgresql') return migrateUnderLock(orm, target, options.onMigrationWait);
  // Even the check for pending migrations runs under the lock (it creates the migrations table on a new database).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const long = (await MikroORM.init(ormConfig(target, { ...options, statementTimeoutMs: 0 }) as never)) as Orm;
  try {
    return await migrateUnderLock(long, target, options.onMigrationWait);
  } finally {
    await long.close(true);
  }
}
