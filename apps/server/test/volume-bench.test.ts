import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'mlapi-volume-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** `npm run bench:volume` as the server package runs it: tsx on bench/volume.bench.ts. */
const bench = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'bench/volume.bench.ts', ...args], { cwd: serverDir, timeout: 120_000 });

describe('npm run bench:volume', () => {
  it('fills, rebuilds, measures every endpoint and writes a result with numbers, at a tiny size on SQLite', async () => {
    await bench(['--calls=2k', '--seconds=1', '--users=20', '--label=tiny', `--out=${out}`]);
    const result = JSON.parse(readFileSync(join(out, 'tiny.json'), 'utf8'));
    expect(result).toMatchObject({ label: 'tiny', dialect: 'sqlite', calls: 2000, users: 20, days: 30 });
    expect(result.fill.rowsPerSec).toBeGreaterThan(0);
    expect(result.rebuild.rowsPerSec).toBeGreaterThan(0);
    expect(result.predictions).toBeGreaterThan(1900);
    for (const table of result.footprint.rollups) {
      expect(table.rows).toBeGreaterThan(0);
      expect(table.rowsPerMillionCalls).toBeGreaterThan(0);
    }
    const names = result.rows.map((r: { scenario: string }) => r.scenario);
    for (const endpoint of [
      '/admin/analytics/usage (whole window)',
      '/admin/analytics/usage?user_id',
      '/admin/analytics/usage?service=v2',
      '/admin/analytics/usage?tz=Asia/Kolkata',
      '/mlservice/v1/metrics',
      '/mlservice/v2/metrics',
      '/user/history (first page)',
      '/user/history?offset=',
      'POST /mlservice/v1/predict',
    ])
      expect(
        names.some((n: string) => n.includes(endpoint)),
        endpoint,
      ).toBe(true);
    for (const row of result.rows) {
      expect(row.reqPerSec, row.scenario).toBeGreaterThan(0);
      expect(row.errors, row.scenario).toBe(0);
      expect(Number.isFinite(row.p50Ms) && Number.isFinite(row.p99Ms), row.scenario).toBe(true);
    }
  }, 120_000);

  it('refuses a bad option with a message and exit status 2', async () => {
    const failed = await bench(['--calls=lots']).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('--calls must be a number');
  });
});
