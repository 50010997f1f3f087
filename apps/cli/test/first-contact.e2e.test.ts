import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, superuser, type TestServer } from '@mlapi/server/testing';
import { bundle, hamMail, house, mlapi, mlapiOnTerminal, newHome, type Result } from './helpers.ts';

let server: TestServer;
const home = newHome();
const asAdmin = (args: string[], input?: string) => mlapi(args, { home, url: server.url, input });
const file = (name: string, text: string) => {
  const path = join(home.home, name);
  writeFileSync(path, text);
  return path;
};
const calls = async () => JSON.parse((await asAdmin(['--json', 'history', '--limit', '1'])).stdout).total as number;
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

beforeAll(async () => {
  server = await startTestServer('sqlite');
  expect((await asAdmin(['login', '-u', superuser.username, '--password-stdin'], `${superuser.password}\n`)).code).toBe(
    0,
  );
});
afterAll(() => server?.stop());

describe('batch files are checked once, before anything is sent', () => {
  it('a CSV without the needed columns is refused (exit 2), naming the missing ones', async () => {
    const before = await calls();
    const { rm: _rm, lstat: _lstat, ...rest } = house;
    const csv = file(
      'no-rooms.csv',
      `${Object.keys(rest).join(',')}\n${Object.values(rest).join(',')}\n${Object.values(rest).join(',')}\n`,
    );
    const r = await asAdmin(['predict', 'v2', '--file', csv]);
    expect(r.stderr).toBe(
      `mlapi: --file: ${csv} has no fields rm, lstat in its header (v2 needs ${Object.keys(house).join(', ')})\n`,
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(await calls()).toBe(before); // no batch call was made
  });

  it('a JSONL file whose first record lacks the text is refused the same way', async () => {
    const jsonl = file('bodies.jsonl', `{"body":"${'hello '.repeat(5)}"}\n{"body":"again"}\n`);
    const r = await asAdmin(['predict', 'v1', '--file', jsonl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mlapi: --file: ${jsonl} has no field text in its first record (v1 needs text)\n`);
  });

  it('an --out holding another service’s results is refused (exit 2, naming it), not skipped', async () => {
    const houses = file(
      'two-houses.csv',
      `${Object.keys(house).join(',')}\n${Object.values(house).join(',')}\n${Object.values(house).join(',')}\n`,
    );
    const out = join(home.home, 'results.csv');
    expect((await asAdmin(['predict', 'v2', '--file', houses, '--out', out, '--no-progress'])).code).toBe(0);
    const written = readFileSync(out, 'utf8');
    const mails = file(
      'two-mails.jsonl',
      `${JSON.stringify({ text: hamMail(1) })}\n${JSON.stringify({ text: hamMail(2) })}\n`,
    );
    const r = await asAdmin(['predict', 'v1', '--file', mails, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `mlapi: --out ${out} holds v2 results (price), not v1's (category, probability): use another --out, or --overwrite to replace them\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe(written);
    const jsonlOut = join(home.home, 'results.jsonl');
    expect((await asAdmin(['predict', 'v1', '--file', mails, '--out', jsonlOut, '--no-progress'])).code).toBe(0);
    const v2 = await asAdmin(['predict', 'v2', '--file', houses, '--out', jsonlOut]);
    expect(v2.code).toBe(2);
    expect(v2.stderr).toContain(`holds v1 results (category, probability), not v2's (price)`);
  });
});

describe('Ctrl-C during a batch', () => {
  /** Spawns the binary on a batch and sends SIGINT once the first chunk's progress line is out. */
  function interrupted(args: string[]): Promise<Result> {
    return new Promise((resolve, reject) => {
      const env = {
        PATH: process.env['PATH'] ?? '',
        HOME: home.home,
        XDG_CONFIG_HOME: home.config,
        MLAPI_URL: server.url,
      };
      const child = spawn(process.execPath, [bundle, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!sent && /predict v1: [1-9]\d*\/\d+ items/.test(stderr)) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('says where it stopped and that the same command resumes; rerunning it finishes the rest', async () => {
    const total = 3000;
    const input = file(
      'many.jsonl',
      Array.from({ length: total }, (_, i) => JSON.stringify({ text: hamMail(i) })).join('\n') + '\n',
    );
    const out = join(home.home, 'many-results.jsonl');
    const args = ['predict', 'v1', '--file', input, '--out', out, '--chunk-size', '20'];
    const r = await interrupted(args);
    const m = /interrupted at (\d+)\/3000 — run the same command again to resume\n/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(r.code).toBe(130);
    const done = Number(m![1]);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(total);
    expect(lines(readFileSync(out, 'utf8'))).toHaveLength(done); // whole results only, as many as it said

    const again = await mlapi([...args, '--no-progress'], { home, url: server.url });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      `resuming: ${out} already holds ${done} results; skipping the first ${done} inputs and appending`,
    );
    const results = lines(readFileSync(out, 'utf8')).map((l) => JSON.parse(l) as { index: number; ok: boolean });
    expect(results.map((x) => x.index)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(results.every((x) => x.ok)).toBe(true);
  }, 120_000);
});

describe('tables', () => {
  it('piped: tab-separated rows without borders or header, times without milliseconds', async () => {
    await asAdmin(['predict', 'v1', hamMail(3)]);
    const r = await asAdmin(['history', '--limit', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[│─┌]/);
    const rows = lines(r.stdout).map((l) => l.split('\t'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toHaveLength(9); // call, time, service, model, ok, prediction, result, ms, error
    expect(rows[0]).toEqual([
      expect.stringMatching(/^\d+$/),
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      'v1',
      '1.2.0',
      'yes',
      expect.stringMatching(/^\d+$/),
      expect.stringMatching(/^ham 0\.\d+$/),
      expect.stringMatching(/^[\d.]+$/),
      '',
    ]);
  });

  it('on a terminal: a bordered table that fits its width', async () => {
    const r = await mlapiOnTerminal(['admin', 'users'], { home, url: server.url, columns: 60 });
    expect(r.code).toBe(0);
    const table = r.stdout.split('\n').filter((l) => /[│┌└├]/.test(l));
    expect(table.length).toBeGreaterThan(3);
    for (const line of table) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    // Nothing is cut off: the first user's name, wrapped over the lines of its row, reads whole.
    const firstRow = table.slice(table.findIndex((l) => l.startsWith('├')) + 1).filter((l) => l.startsWith('│'));
    const rowEnd = firstRow.findIndex((l) => l.split('│')[1]!.trim() !== '' && l !== firstRow[0]);
    const cells = firstRow.slice(0, rowEnd === -1 ? undefined : rowEnd).map((l) => l.split('│')[2]!.trim());
    expect(cells.join('')).toBe(superuser.username);
    const wide = await mlapiOnTerminal(['admin', 'users'], { home, url: server.url, columns: 200 });
    expect(Math.max(...wide.stdout.split('\n').map((l) => stringWidth(l)))).toBeGreaterThan(60);
  });
});

describe('admin delete asks first', () => {
  const register = async (name: string) => {
    const username = `${name}.${Date.now().toString(36)}@example.com`;
    const r = await asAdmin(
      ['--json', 'register', '-u', username, '--first-name', name, '--last-name', 'Test', '--password-stdin'],
      'a long password\n',
    );
    expect(r.code).toBe(0);
    return username;
  };
  const exists = async (username: string) => (await asAdmin(['admin', 'activate', username])).code === 0;

  it('without a terminal it needs --yes (exit 2, nothing deleted); with --yes it deletes', async () => {
    const username = await register('bob');
    const r = await asAdmin(['admin', 'delete', username]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'mlapi: admin delete cannot be undone: pass --yes to delete without a terminal to confirm on\n',
    );
    expect(await exists(username)).toBe(true);
    const yes = await asAdmin(['admin', 'delete', username, '--yes']);
    expect(yes.code).toBe(0);
    expect(await exists(username)).toBe(false);
  });

  it('on a terminal it asks; anything but y keeps the user, y deletes', async () => {
    const username = await register('carol');
    const no = await mlapiOnTerminal(['admin', 'delete', username], { home, url: server.url, input: 'n\r' });
    expect(no.stdout).toMatch(
      new RegExp(`Delete ${username.replace(/\./g, '\\.')} \\(id \\d+\\)\\? This cannot be undone\\. \\[y/N\\]`),
    );
    expect(no.stdout).toContain('Nothing deleted.');
    expect(await exists(username)).toBe(true);
    const yes = await mlapiOnTerminal(['admin', 'delete', username], { home, url: server.url, input: 'y\r' });
    expect(yes.stdout).toContain(`Deleted ${username}`);
    expect(await exists(username)).toBe(false);
  });
});

describe('an expired session', () => {
  it('says when it expired and to log in, without asking the server', async () => {
    const own = newHome();
    expect(
      (
        await mlapi(['login', '-u', superuser.username, '--password-stdin'], {
          home: own,
          url: server.url,
          input: `${superuser.password}\n`,
        })
      ).code,
    ).toBe(0);
    const path = join(own.config, 'mlapi', 'credentials.json');
    const stored = JSON.parse(readFileSync(path, 'utf8'));
    expect(Date.parse(stored.servers[server.url].expires_at)).toBeGreaterThan(Date.now());
    const at = new Date(Date.now() - 60_000);
    stored.servers[server.url].expires_at = at.toISOString();
    writeFileSync(path, JSON.stringify(stored));
    const r = await mlapi(['whoami'], { home: own, url: server.url });
    expect(r.code).toBe(1);
    const hm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
    expect(r.stderr).toBe(
      `mlapi: your session expired at ${hm} — run \`mlapi login\` to sign in to ${server.url} again\n`,
    );
  });
});
