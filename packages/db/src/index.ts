export * from './database-url.ts';
export type { DriverSql, RawRow, RunInTransaction } from './driver-sql.ts';
export { entityColumns, entityData, insertRows, type EntityRef } from './entity-rows.ts';
export * from './entities/index.ts';
export {
  classifyDatabaseError,
  DatabaseInputError,
  DatabaseUnavailableError,
  DuplicateKeyError,
  databaseInputError,
  isDatabaseUnavailable,
} from './errors.ts';
export * from './orm.ts';
export { migrationsPath } from './orm-config.ts';
export type * from './records.ts';
export * from './repositories/index.ts';
export { repoRoot } from './repo-root.ts';
