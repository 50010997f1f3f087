import { openDatabase } from '../orm.ts';
import { readDbEnv } from '../env.ts';

/** `npm run db:migrate:down`: reverts the last applied migration of DATABASE_URL. */
const db = await openDatabase(readDbEnv().DATABASE_URL, { migrate: false });
try {
  const reverted = await db.orm.getMigrator().down();
  console.log(reverted.length ? `reverted: ${reverted.map((m) => m.name).join(', ')}` : 'nothing to revert');
} finally {
  await db.close();
}
