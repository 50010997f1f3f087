export * from './database-url.ts';
export * from './entities/index.ts';
export * from './orm.ts';
export { migrationsPath } from './orm-config.ts';
export { repoRoot } from './repo-root.ts';
