import { applyMigrations, openDatabase } from '../orm.ts';
import { readDbEnv } from '../env.ts';

/**
 * `npm run db:migrate`: applies every pending migration to DATABASE_URL and lists what ran — under the lock the
 * servers take at start-up, so it is safe while replicas start.
 */
const db = await openDatabase(readDbEnv().DATABASE_URL, { migrate: false });
try {
  const applied = await applyMigrations(db.orm, db.target, {
    onMigrationWait: () => console.error('another process is migrating this database: waiting for it'),
  });
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.close();
}
