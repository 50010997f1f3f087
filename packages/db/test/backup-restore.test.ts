import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, type Database } from '../src/index.ts';
import { createTestDatabase, testDialects } from '../src/testing.ts';
import { newUser } from './fixtures.ts';

const execute = promisify(execFile);
const packageDir = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mlapi-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A db script as `npm run db:…` runs it, typed in `dir`; resolves with its exit code and output. */
async function script(name: 'backup' | 'restore', databaseUrl: string, args: string[]) {
  return execute(process.execPath, ['--import', 'tsx', `src/cli/${name}.ts`, ...args], {
    cwd: packageDir,
    env: { ...process.env, DATABASE_URL: databaseUrl, INIT_CWD: dir },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

async function snapshot(db: Database) {
  const tables = (
    await db.sql.read(
      db.target.dialect === 'sqlite'
        ? "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"
        : "select table_name as name from information_schema.tables where table_schema = 'public' order by table_name",
      [],
    )
  ).map((r) => String(r.name));
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number((await db.sql.read(`select count(*) as n from ${t}`, []))[0]?.n);
  const data = createRepositories(db);
  const window = { from: new Date(Date.UTC(2026, 0, 1)), to: new Date(Date.UTC(2027, 0, 1)) };
  return {
    counts,
    hours: (await data.usage.hours(window, [])).sort((a, b) => a.hour - b.hour),
    quality: await data.predictions.regressionSums({ service: 'v2' }),
  };
}

describe.each(testDialects)('npm run db:backup and db:restore on %s', { timeout: 60_000 }, (dialect) => {
  const source = createTestDatabase(dialect);
  const target = createTestDatabase(dialect);
  afterAll(async () => {
    await source.drop();
    await target.drop();
  });

  it('round-trips every row and the analytics; refuses to overwrite without --force', async () => {
    const file = `copy-${dialect}.bak`;
    const db = await openDatabase(source.url);
    const data = createRepositories(db);
    const owner = (await data.users.insert(newUser('backup@example.com'))).id;
    const at = new Date(Date.UTC(2026, 10, 20, 9));
    const ids = await data.callLog.insertBatch(
      [18, 22, 30].map((price, i) => ({
        call: {
          serviceVersion: 'v2' as const,
          success: true,
          error: null,
          owner,
          requestTime: new Date(at.getTime() + i * 3_600_000),
          completionTime: at,
          duration: 2 + i,
          modelVersion: '1.0.0',
        },
        predictions: [
          {
            serviceVersion: 'v2' as const,
            modelName: 'house',
            modelVersion: '1.0.0',
            input: { rooms: i },
            output: { price },
            predictedValue: price,
            predictedLabel: null,
            createdAt: new Date(at.getTime() + i * 3_600_000),
          },
        ],
      })),
    );
    await data.predictions.recordTruth(ids[0]![0]!, 20, at);
    const before = await snapshot(db);
    await db.close();
    expect(before.counts.service_calls).toBe(3);
    expect(before.counts.labelled_examples).toBe(1);

    const backup = await script('backup', source.url, [`--out=${file}`]);
    expect(backup.stderr).toBe('');
    expect(backup).toMatchObject({ code: 0 });
    expect(backup.stdout).toMatch(/^backed up to .*copy-\w+\.bak \(\d+\.\d MB\)/);
    expect(existsSync(join(dir, file))).toBe(true);
    expect(await script('backup', source.url, [`--out=${file}`])).toMatchObject({ code: 1 });

    const restored = await script('restore', target.url, [`--from=${file}`]);
    expect(restored).toMatchObject({ code: 0 });
    const check = async () => {
      const copy = await openDatabase(target.url, { migrate: 'verify' });
      try {
        expect(await snapshot(copy)).toEqual(before);
      } finally {
        await copy.close();
      }
    };
    await check();

    const again = await script('restore', target.url, [`--from=${file}`]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^db:restore: .*pass --force/);
    expect(await script('restore', target.url, [`--from=${file}`, '--force'])).toMatchObject({ code: 0 });
    await check();
    expect(await script('restore', target.url, [])).toMatchObject({ code: 2 });
    expect((await script('restore', target.url, ['--from=missing.bak'])).stderr).toContain('no backup at');
  });
});
