import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, restoreDatabase } from '../backup/backup-restore.ts';
import { invocationDir, readDbEnv } from '../env.ts';

/**
 * `npm run db:restore -- --from=FILE [--force]`: puts a db:backup file in place of DATABASE_URL (stop the servers
 * first). A database that holds data is replaced only with --force.
 */
const usage = 'usage: npm run db:restore -- --from=FILE [--force]';
let values: { from?: string | undefined; force?: boolean | undefined };
try {
  values = parseArgs({ options: { from: { type: 'string' }, force: { type: 'boolean' } }, strict: true }).values;
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
if (!values.from) {
  console.error(`--from is required: the backup file to restore\n${usage}`);
  process.exit(2);
}
try {
  const started = performance.now();
  await restoreDatabase(readDbEnv().DATABASE_URL, resolve(invocationDir(), values.from), {
    force: values.force ?? false,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`restored ${values.from} in ${seconds} s; the server migrates it at its next start if it is older`);
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(`db:restore: ${err.message}`);
  process.exit(1);
}
