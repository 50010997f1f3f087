import { openDatabase } from '../orm.ts';
import { readDbEnv } from '../env.ts';

/** `npm run db:migrate`: applies every pending migration to DATABASE_URL and lists what ran. */
const db = await openDatabase(readDbEnv().DATABASE_URL, { migrate: false });
try {
  const applied = await db.orm.getMigrator().up();
  console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
} finally {
  await db.close();
}
