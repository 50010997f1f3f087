import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
import { createDriverSql, type DriverSql } from './driver-sql.ts';
import { ormConfig, type OrmOptions } from './orm-config.ts';

export type Orm = MikroORM<AbstractSqlDriver>;
export type Em = SqlEntityManager;

export interface OpenDatabaseOptions extends OrmOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

export interface Database {
  orm: Orm;
  target: DatabaseTarget;
  /** A fresh EntityManager for one unit of work (one request). */
  fork(): Em;
  /** Plain SQL with cached prepared statements for the hot paths (user read, call log), outside the ORM; the repositories' own. */
  sql: DriverSql;
  close(): Promise<void>;
}

/** Connects, creates the PostgreSQL database if it is missing, and applies the committed migrations. */
export async function openDatabase(databaseUrl: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(databaseUrl);
  // The per-dialect options union is wider than init's parameter; the config is checked where it is built.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const orm = (await MikroORM.init(ormConfig(target, options) as never)) as Orm;
  try {
    if (target.dialect === 'postgresql') await orm.schema.ensureDatabase({ create: true });
    if (options.migrate ?? true) await orm.getMigrator().up();
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  const sql = createDriverSql(orm, target, options.connectTimeoutMs ?? 5000);
  return {
    orm,
    target,
    fork: () => orm.em.fork(),
    sql,
    close: async () => {
      await sql.close();
      await orm.close(true);
    },
  };
}
