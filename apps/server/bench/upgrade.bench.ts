/**
 * `npm run bench:upgrade -- [--pg] [--calls=3M] [--from=<migration>] [--label=name]`: how long an upgrade's
 * migrations take on a database at volume. A fresh database (SQLite file in the temp directory, or with --pg a
 * PostgreSQL database, dropped afterwards) is migrated up to --from (default: the last migration before 64-bit ids
 * and rollups), filled by SQL with --calls calls over 30 days (as bench:volume fills), then each later migration is
 * applied on its own and timed, as `npm run db:migrate` applies them (no statement timeout). The table goes to
 * stdout and to bench/results/<label>.md (default label upgrade-<dialect>-<calls>).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '@mlapi/db';
import { fillCalls } from '@mlapi/db/bench';
import { createTestDatabase } from '@mlapi/db/testing';

const { values } = parseArgs({
  options: {
    pg: { type: 'boolean', default: false },
    calls: { type: 'string', default: '3000000' },
    from: { type: 'string', default: 'Migration20261128153057' },
    label: { type: 'string' },
  },
  strict: true,
});
const calls = Number(values.calls);
if (!Number.isInteger(calls) || calls < 1) {
  console.error('usage: npm run bench:upgrade -- [--pg] [--calls=N] [--from=<migration>] [--label=name]');
  process.exit(2);
}
const dialect = values.pg ? 'postgresql' : 'sqlite';
const label = values.label ?? `upgrade-${dialect}-${calls}`;
const number = new Intl.NumberFormat('en-US');
const database = createTestDatabase(dialect, { prefix: 'mlapi_upgrade' });

try {
  const db = await openDatabase(database.url, { migrate: false, statementTimeoutMs: 0 });
  try {
    const migrator = db.orm.getMigrator();
    await migrator.up({ to: values.from });
    const filled = await fillCalls(db, {
      calls,
      users: 200,
      days: 30,
      passwordHash: 'x',
      onProgress: (p) => process.stderr.write(`fill: ${number.format(p.calls)} calls\n`),
    });
    const rows: string[] = [];
    for (const { name } of await migrator.getPendingMigrations()) {
      const started = performance.now();
      await migrator.up({ to: name });
      const seconds = (performance.now() - started) / 1000;
      rows.push(`| ${name} | ${seconds.toFixed(1)} |`);
      process.stderr.write(`${name}: ${seconds.toFixed(1)} s\n`);
    }
    const md = [
      `# ${label}`,
      '',
      `${dialect}, ${number.format(filled.calls)} calls and ${number.format(filled.predictions)} predictions over 30 ` +
        `days, migrated up to ${values.from} before the fill; then each later migration timed on its own.`,
      '',
      '| migration | seconds |',
      '|---|---|',
      ...rows,
      '',
    ].join('\n');
    console.log(md);
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}${label}.md`, md);
  } finally {
    await db.close();
  }
} finally {
  await database.drop();
}
