import { defineConfig as defineSqliteConfig } from '@mikro-orm/better-sqlite';
import type { EntityMetadata, EntityProperty, MetadataStorage } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig as definePostgresConfig } from '@mikro-orm/postgresql';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from './database-url.ts';
import { entities } from './entities/index.ts';
import { postgresqlMigrations } from './migrations/postgresql/index.ts';
import { sqliteMigrations } from './migrations/sqlite/index.ts';

export const migrationsPath = (dialect: DatabaseTarget['dialect']): string =>
  fileURLToPath(new URL(`./migrations/${dialect}`, import.meta.url));

/** Migrations are imported statically (each dialect's index.ts), so they load under tsx, vitest and a bundle alike. */
const migrations = (dialect: DatabaseTarget['dialect']) => ({
  path: migrationsPath(dialect),
  migrationsList: dialect === 'sqlite' ? sqliteMigrations : postgresqlMigrations,
  snapshotName: '.snapshot-mlapi',
  emit: 'ts' as const,
  snapshot: true,
  transactional: true,
  allOrNothing: true,
  silent: true,
});

/**
 * SQLite's INTEGER PRIMARY KEY is already the 64-bit rowid; declared as `bigint` (as the log tables' ids are, for
 * PostgreSQL) the schema diff would rebuild each table — and a rebuild inside the migration's transaction, where
 * `foreign_keys = off` has no effect, would cascade-delete the rows that reference it.
 */
function sqliteIntegerKeys(storage: MetadataStorage): void {
  for (const meta of Object.values(storage.getAll())) {
    for (const prop of meta.props)
      if (prop.primary && prop.columnTypes?.[0] === 'bigint') prop.columnTypes = ['integer'];
    sqliteSingleKey(meta);
  }
}

/**
 * The log tables' primary keys hold their partition key on PostgreSQL ((id, request_time), (id, created_at)); SQLite
 * has no partitions and keeps `id` alone, the rowid, which the database numbers itself.
 */
function sqliteSingleKey(meta: EntityMetadata): void {
  const id = meta.properties.id as EntityProperty | undefined;
  if (!id?.autoincrement || meta.primaryKeys.length < 2) return;
  for (const prop of meta.props) if (prop.primary && prop.name !== 'id') prop.primary = false;
  meta.primaryKeys = ['id'];
  meta.compositePK = false;
}

export interface OrmOptions {
  /** How long a query may wait for a connection or the database to answer, in ms. */
  connectTimeoutMs?: number;
  debug?: boolean;
  /**
   * Where the connection pool's own warnings go (e.g. "Connection Error: Connection ended unexpectedly" while the
   * database is unreachable, an outage the server already answers with 503). Default: stderr.
   */
  onDriverWarning?: (message: string) => void;
  /** PostgreSQL: how long one statement may run, in ms (default 30,000; 0: no limit, for migrations). */
  statementTimeoutMs?: number;
}

/** The MikroORM options for one database target; SQLite gets WAL and a busy timeout on every connection. */
export function ormConfig(target: DatabaseTarget, options: OrmOptions = {}) {
  const timeout = options.connectTimeoutMs ?? 5000;
  const warn = options.onDriverWarning ?? ((message: string) => process.stderr.write(`${message}\n`));
  // knex's logger: warnings to the caller's logger instead of console.log; the rest as knex would.
  const log = { warn, error: warn, deprecate: warn, debug: () => undefined };
  const common = {
    entities,
    extensions: [Migrator],
    debug: options.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // openDatabase creates a missing PostgreSQL database itself, tolerating a replica that does so at the same time.
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: true },
  };
  if (target.dialect === 'sqlite') {
    return defineSqliteConfig({
      ...common,
      discovery: { ...common.discovery, afterDiscovered: sqliteIntegerKeys },
      dbName: target.path,
      migrations: migrations('sqlite'),
      driverOptions: { log },
      pool: {
        afterCreate: (conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma(`busy_timeout = ${timeout}`);
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        },
      },
    });
  }
  return definePostgresConfig({
    ...common,
    clientUrl: target.url,
    dbName: target.dbName,
    migrations: migrations('postgresql'),
    pool: { min: 0, max: 10, acquireTimeoutMillis: timeout },
    driverOptions: {
      connection: { connectionTimeoutMillis: timeout, statement_timeout: options.statementTimeoutMs ?? 30_000 },
      log,
    },
  });
}
