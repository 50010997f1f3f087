export * from './database-url.ts';
export type { DriverSql, RawRow, RunInTransaction } from './driver-sql.ts';
export { entityColumns, entityData, insertRows, type EntityRef } from './entity-rows.ts';
export * from './entities/index.ts';
export * from './orm.ts';
export { migrationsPath } from './orm-config.ts';
export { repoRoot } from './repo-root.ts';
