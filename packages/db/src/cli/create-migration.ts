import { migrationsPath } from '../orm-config.ts';
import { openDatabase } from '../orm.ts';
import { readDbEnv } from '../env.ts';
import { writeMigrationIndex } from './write-migration-index.ts';

/**
 * `npm run db:migration:create`: writes the next migration for BOTH dialects from the entity definitions,
 * diffing against each dialect's committed snapshot. SQLite uses a scratch file; PostgreSQL a scratch database.
 */
const pgBase = readDbEnv().MIGRATION_PG_URL;
const scratch = `mlapi_migration_${process.pid}`;
const targets = [`sqlite:/tmp/${scratch}.sqlite`, `${pgBase}/${scratch}`];

for (const url of targets) {
  const db = await openDatabase(url, { migrate: true });
  try {
    const result = await db.orm.getMigrator().createMigration();
    if (result.fileName) writeMigrationIndex(migrationsPath(db.target.dialect), db.target.dialect);
    console.log(`${db.target.dialect}: ${result.fileName || 'no changes'}`);
  } finally {
    if (db.target.dialect === 'postgresql') await db.orm.schema.dropDatabase(scratch).catch(() => undefined);
    await db.close();
  }
}
