export * from './database-url.ts';
export { retentionDaysSetting } from './env.ts';
export { entityColumns, entityData, insertRows, type EntityRef } from './entity-rows.ts';
export * from './entities/index.ts';
export {
  classifyDatabaseError,
  DatabaseUnavailableError,
  DuplicateKeyError,
  databaseInputError,
  isDatabaseUnavailable,
} from './errors.ts';
export * from './orm.ts';
export { PendingMigrationsError } from './migrate-under-lock.ts';
export type * from './records.ts';
export * from './repositories/index.ts';
export { repoRoot } from './repo-root.ts';
export * from './rollups/index.ts';
export { pruneLogs } from './retention/prune-logs.ts';
