import { parse as parseCsv } from 'csv-parse/sync';
import { cpSync, existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, superuser, type TestServer } from '@mlapi/server/testing';
import { cliRoot, closedPort, hamMail, house, mlapi, newHome, runNode, type Home } from './helpers.ts';

let server: TestServer;
const adminHome = newHome();
const userHome = newHome();
const ada = { username: `ada.${Date.now().toString(36)}@example.com`, password: 'analytical engine' };

/** `mlapi` as the admin / as Ada, each with their own HOME against the test server. */
const asAdmin = (args: string[], input?: string) => mlapi(args, { home: adminHome, url: server.url, input });
const asAda = (args: string[], input?: string) => mlapi(args, { home: userHome, url: server.url, input });
const credentialsFile = (h: Home) => join(h.config, 'mlapi', 'credentials.json');
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

beforeAll(async () => {
  server = await startTestServer('sqlite');
});
afterAll(() => server?.stop());

describe('the mlapi flow: login → denied → grant → predict → history → batch → revoke → denied', () => {
  it('logs the superuser in and stores the token per URL, owner-only (0600)', async () => {
    const r = await asAdmin(['login', '--username', superuser.username, '--password-stdin'], `${superuser.password}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Logged in to ${server.url} as ${superuser.username}`);
    const file = credentialsFile(adminHome);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.servers[server.url].username).toBe(superuser.username);
    expect(stored.servers[server.url].token).toMatch(/^ey/);
  });

  it('registers Ada, who logs in and is refused v1 (403: the account is inactive)', async () => {
    const reg = await asAda(
      ['register', '-u', ada.username, '--first-name', 'Ada', '--last-name', 'Lovelace', '--password-stdin'],
      `${ada.password}\n`,
    );
    expect(reg.code).toBe(0);
    expect(reg.stdout).toMatch(/active\tno/);
    expect((await asAda(['login', '-u', ada.username, '--password-stdin'], `${ada.password}\n`)).code).toBe(0);
    const denied = await asAda(['predict', 'v1', hamMail()]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^mlapi: Account is inactive\b.*\n$/);
  });

  it('lets the admin grant v1 and activate Ada, by e-mail', async () => {
    const r = await asAdmin(['admin', 'grant', ada.username, 'v1', '--activate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Granted v1 to ${ada.username} and activated the account.`);
    const users = JSON.parse((await asAdmin(['admin', 'users', '--json'])).stdout);
    expect(users.items.find((u: { username: string }) => u.username === ada.username)).toMatchObject({
      is_active: true,
      has_access_v1: true,
      has_access_v2: false,
    });
  });

  it('predicts v1 for Ada, as a table and as JSON, from an argument and from stdin', async () => {
    const human = await asAda(['predict', 'v1', hamMail(1)]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/category\tham/);
    const json = await asAda(['predict', 'v1', '-', '--json'], hamMail(2));
    expect(json.code).toBe(0);
    const reply = JSON.parse(json.stdout);
    expect(reply).toMatchObject({ category: 'ham', model_version: expect.any(String) });
    expect(reply.prediction_id).toBeGreaterThan(0);
    expect(reply.probability).toBeLessThan(0.5);
  });

  it("shows Ada's history: the refused call and the two predictions", async () => {
    const r = await asAda(['history', '--json']);
    expect(r.code).toBe(0);
    const page = JSON.parse(r.stdout);
    expect(page.total).toBe(3);
    expect(page.items.map((c: { success: boolean }) => c.success)).toEqual([true, true, false]);
    // Each prediction with its id (for feedback) and result; the refused call has neither.
    expect(page.items[0]).toMatchObject({
      prediction_id: expect.any(Number),
      predictions: 1,
      result: { category: 'ham' },
    });
    expect(page.items[2]).toMatchObject({ prediction_id: null, predictions: 0, result: null });
    const table = await asAda(['history']);
    expect(table.stdout).toMatch(/Account is inactive/);
    expect(table.stderr).toContain('3 of 3 calls');
  });

  it('predicts a JSONL file in chunks with progress on stderr and a summary, one result per input', async () => {
    const input = join(userHome.home, 'mails.jsonl');
    const records = Array.from({ length: 450 }, (_, i) =>
      JSON.stringify(i === 7 ? { text: '' } : { text: hamMail(i) }),
    );
    writeFileSync(input, records.join('\n') + '\n');
    const out = join(userHome.home, 'results.jsonl');
    const r = await asAda(['predict', 'v1', '--file', input, '--out', out, '--chunk-size', '200']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('predict v1: 0/450 items');
    expect(r.stderr).toContain('predict v1: 200/450 items (44%)');
    expect(r.stderr).toContain('predict v1: 450/450 items (100%)');
    expect(r.stderr).toMatch(/done: 450 items, 449 ok, 1 failed in \d+\.\d\d s \(\d+(\.\d)? items\/s\); results in /);
    const results = lines(readFileSync(out, 'utf8')).map((l) => JSON.parse(l));
    expect(results.map((x) => x.index)).toEqual(records.map((_, i) => i));
    expect(results[7]).toEqual({ index: 7, ok: false, error: 'text must not be empty' });
    expect(results.filter((x) => x.ok && x.category === 'ham').length).toBe(449);
    expect(new Set(results.filter((x) => x.ok).map((x) => x.prediction_id)).size).toBe(449);
    // Three chunks of at most 200 went through the batch endpoint: three more calls in the history.
    expect(JSON.parse((await asAda(['history', '--json'])).stdout).total).toBe(6);
  });

  it('resumes a batch: keeps the results already in --out, cuts a half-written line, sends only the rest', async () => {
    const input = join(userHome.home, 'mails.jsonl');
    const out = join(userHome.home, 'resumed.jsonl');
    const first = await asAda(['predict', 'v1', '--file', input, '--out', out, '--no-progress']);
    expect(first.code).toBe(0);
    const all = lines(readFileSync(out, 'utf8'));
    writeFileSync(out, all.slice(0, 120).join('\n') + '\n' + all[120]!.slice(0, 15)); // a crash in the middle of line 121
    const again = await asAda(['predict', 'v1', '--file', input, '--out', out, '--json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      `resuming: ${out} already holds 120 results; skipping the first 120 inputs and appending`,
    );
    const summary = JSON.parse(again.stdout);
    expect(summary).toMatchObject({ items: 330, ok: 330, failed: 0, skipped: 120, out });
    expect(summary.items_per_second).toBeGreaterThan(0);
    const resumed = lines(readFileSync(out, 'utf8')).map((l) => JSON.parse(l));
    expect(resumed.map((x) => x.index)).toEqual(Array.from({ length: 450 }, (_, i) => i));
    const complete = await asAda(['predict', 'v1', '--file', input, '--out', out, '--json']);
    expect(JSON.parse(complete.stdout)).toMatchObject({ items: 0, skipped: 450 });
  });

  it('writes batch results as CSV from a CSV file', async () => {
    const input = join(userHome.home, 'mails.csv');
    writeFileSync(input, 'text\n' + [0, 1, 2].map((i) => `"${hamMail(i).replace(/"/g, '""')}"`).join('\n') + '\n');
    const r = await asAda(['predict', 'v1', '--file', input, '--format', 'csv', '--no-progress']);
    expect(r.code).toBe(0);
    const rows = parseCsv<Record<string, string>>(r.stdout, { columns: true });
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!)).toEqual([
      'index',
      'ok',
      'category',
      'probability',
      'prediction_id',
      'model_version',
      'error',
    ]);
    expect(rows.map((x) => [x['index'], x['ok'], x['category']])).toEqual([
      ['0', 'true', 'ham'],
      ['1', 'true', 'ham'],
      ['2', 'true', 'ham'],
    ]);
  });

  it('records feedback on a prediction; the admin sees it in the metrics', async () => {
    const prediction = JSON.parse((await asAda(['predict', 'v1', hamMail(9), '--json'])).stdout);
    const fb = await asAda(['feedback', 'v1', String(prediction.prediction_id), 'ham', '--json']);
    expect(fb.code).toBe(0);
    expect(JSON.parse(fb.stdout)).toMatchObject({
      prediction_id: prediction.prediction_id,
      predicted: 'ham',
      actual: 'ham',
    });
    const metrics = await asAdmin(['metrics', 'v1', '--json', '--from', '2000-01-01']);
    expect(metrics.code).toBe(0);
    const m = JSON.parse(metrics.stdout);
    expect(m.task).toBe('classification');
    expect(m.models[0].count).toBe(1);
    const human = await asAdmin(['metrics', 'v1']);
    // piped: one TSV row per model version — version, count, accuracy, …
    expect(human.stdout).toMatch(new RegExp(`^${m.models[0].model_version.replace(/\./g, '\\.')}\\t1\\t1\\t`, 'm'));
    expect((await asAda(['metrics', 'v1'])).stderr).toBe('mlapi: Admin rights required\n');
  });

  it('revokes v1: the next prediction is refused, naming the right', async () => {
    const r = await asAdmin(['admin', 'revoke', ada.username, 'v1']);
    expect(r.code).toBe(0);
    const denied = await asAda(['predict', 'v1', hamMail()]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^mlapi: No access to service v1\b.*has_access_v1\n$/);
  });
});

describe('predict v2', () => {
  it('takes one option per feature, or --input JSON with overrides, and batches CSV files', async () => {
    const grant = await asAdmin(['admin', 'grant', ada.username, 'v2']);
    expect(grant.code).toBe(0);
    const args = Object.entries(house).flatMap(([k, v]) => [`--${k}`, String(v)]);
    const single = await asAda(['predict', 'v2', ...args, '--json']);
    expect(single.stderr).toBe('');
    const price = JSON.parse(single.stdout).price;
    expect(price).toBeGreaterThan(5_000);
    const richer = JSON.parse(
      (await asAda(['predict', 'v2', '--input', JSON.stringify(house), '--rm', '8.5', '--json'])).stdout,
    ).price;
    expect(richer).toBeGreaterThan(price); // more rooms, dearer house
    const bad = await asAda(['predict', 'v2', '--input', JSON.stringify({ ...house, rm: 12 })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('mlapi: --rm must be <= 9\n');

    const csv = join(userHome.home, 'houses.csv');
    const header = Object.keys(house).join(',');
    writeFileSync(
      csv,
      `${header}\n${Object.values(house).join(',')}\n${Object.values({ ...house, rm: 8.5 }).join(',')}\n`,
    );
    const out = join(userHome.home, 'prices.csv');
    const batch = await asAda(['predict', 'v2', '--file', csv, '--out', out]);
    expect(batch.code).toBe(0);
    const rows = parseCsv<Record<string, string>>(readFileSync(out, 'utf8'), { columns: true });
    expect(rows.map((r) => Number(r['price']))).toEqual([price, richer]);
  });

  it('lists every feature with its description in --help', async () => {
    const r = await asAda(['predict', 'v2', '--help']);
    expect(r.code).toBe(0);
    for (const feature of Object.keys(house)) expect(r.stdout).toContain(`--${feature} <number>`);
    expect(r.stdout).toMatch(/--lstat <number>\s+Percentage of the population with lower socioeconomic\s+status/);
  });
});

describe.concurrent('errors and exit codes', () => {
  it.each([
    [['predict', 'v1'], /missing the text to classify/],
    [['predict', 'v2', '--rm', 'many'], /option '--rm <number>' argument 'many' is invalid. expected a number/],
    [['predict', 'v3'], /unknown command 'v3'/],
    [['admin', 'grant', 'ada@example.com', 'v3'], /value 'v3' is invalid for argument 'services'/],
    [['feedback', 'v1', '12', 'maybe'], /actual must be 'spam' or 'ham'/],
    [['whoami', '--url', 'localhost:8080'], /--url: not an http\(s\) server URL/],
    [
      ['predict', 'v1', '--file', '/nonexistent/mails.jsonl'],
      /--file: cannot read \/nonexistent\/mails.jsonl \(ENOENT\)/,
    ],
  ])('%j is a usage error: exit 2', async (args, message) => {
    // As the admin: these run beside 'changes the password' (which ends Ada's token), and a feedback value that
    // is not a built-in label makes the CLI ask the server whether v1 serves a model of your own with other labels.
    const r = await asAdmin(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('says to run `mlapi login` on a 401', async () => {
    const r = await mlapi(['whoami', '--token', 'not-a-token'], { home: newHome(), url: server.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^mlapi: Could not validate credentials\b.* — run `mlapi login` to sign in to http:\/\/127\.0\.0\.1:\d+\n$/,
    );
    const none = await mlapi(['history'], { home: newHome(), url: server.url });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('not signed in to');
  });

  it('a refused login is its own answer (no hint to log in)', async () => {
    const r = await mlapi(['login', '-u', superuser.username, '--password-stdin'], {
      home: newHome(),
      url: server.url,
      input: 'wrong\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('mlapi: Incorrect username or password\n');
  });

  it('names the URL it tried when the connection is refused', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await mlapi(['--url', url, 'login', '-u', superuser.username, '--password-stdin'], {
      home: newHome(),
      input: '8888\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`could not reach the mlapi server at ${url}: connection refused`);
  });

  it('asks for --password-stdin when there is no terminal to prompt on', async () => {
    const r = await mlapi(['login', '-u', superuser.username], { home: newHome(), url: server.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--password-stdin/);
  });
});

describe.concurrent('accounts and administration', () => {
  it('prints whoami as JSON and as a table; logout forgets the token for that URL only', async () => {
    const home = newHome();
    expect(
      (await mlapi(['login', '-u', superuser.username, '--password-stdin'], { home, url: server.url, input: '8888\n' }))
        .code,
    ).toBe(0);
    const me = JSON.parse((await mlapi(['whoami', '--json'], { home, url: server.url })).stdout);
    expect(me).toMatchObject({ url: server.url, username: superuser.username, role: 'admin' });
    expect((await mlapi(['whoami'], { home, url: server.url })).stdout).toMatch(/role\tadmin/);
    const out = await mlapi(['logout', '--json'], { home, url: server.url });
    expect(JSON.parse(out.stdout)).toEqual({ url: server.url, logged_out: true });
    expect(JSON.parse(readFileSync(credentialsFile(home), 'utf8')).servers).toEqual({});
    expect((await mlapi(['whoami'], { home, url: server.url })).code).toBe(1);
  });

  it('uses ~/.config when XDG_CONFIG_HOME is unset', async () => {
    const home = newHome();
    const r = await mlapi(['login', '-u', superuser.username, '--password-stdin'], {
      home,
      url: server.url,
      input: '8888\n',
      env: { XDG_CONFIG_HOME: undefined },
    });
    expect(r.code).toBe(0);
    expect(existsSync(join(home.home, '.config', 'mlapi', 'credentials.json'))).toBe(true);
  });

  it('changes the password: the new token is stored and works, the old password does not', async () => {
    const r = await asAda(['passwd', '--password-stdin'], `${ada.password}\nbrand new secret\n`);
    expect(r.stderr).toContain('a fresh one is stored');
    expect(r.code).toBe(0);
    expect((await asAda(['whoami'])).code).toBe(0);
    const old = await mlapi(['login', '-u', ada.username, '--password-stdin'], {
      home: newHome(),
      url: server.url,
      input: `${ada.password}\n`,
    });
    expect(old.code).toBe(1);
  });

  it('creates an admin, changes roles, deactivates and deletes, by e-mail or id', async () => {
    const grace = `grace.${Date.now().toString(36)}@example.com`;
    const created = await asAdmin(
      [
        'admin',
        'create-admin',
        '-u',
        grace,
        '--first-name',
        'Grace',
        '--last-name',
        'Hopper',
        '--password-stdin',
        '--json',
      ],
      'cobol rules\n',
    );
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout);
    expect(user).toMatchObject({
      username: grace,
      role: 'admin',
      is_active: true,
      has_access_v1: true,
      has_access_v2: true,
    });
    const demoted = JSON.parse((await asAdmin(['admin', 'role', String(user.id), 'user', '--json'])).stdout);
    expect(demoted.role).toBe('user');
    expect(JSON.parse((await asAdmin(['admin', 'deactivate', grace, '--json'])).stdout).is_active).toBe(false);
    expect(JSON.parse((await asAdmin(['admin', 'activate', grace, '--json'])).stdout).is_active).toBe(true);
    const self = await asAdmin(['admin', 'delete', superuser.username, '--yes']);
    expect(self.code).toBe(1);
    const deleted = await asAdmin(['admin', 'delete', grace, '--yes']);
    expect(deleted.stdout).toContain(`Deleted ${grace} (id ${user.id}).`);
    const gone = await asAdmin(['admin', 'activate', grace]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(`mlapi: no user named ${grace}\n`);
  });
});

describe.concurrent('help and packaging', () => {
  it('mlapi predict v1 --help (spawned) shows the usage and an example', async () => {
    const r = await mlapi(['predict', 'v1', '--help'], { home: newHome() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mlapi predict v1 \[options\] \[text\]/);
    expect(r.stdout).toMatch(/Examples:\n\s+\$ mlapi predict v1 /);
  });

  it('runs the bundle alone, outside the workspace (what `npm i -g @mlapi/cli` installs: bin/ and dist/)', async () => {
    const elsewhere = newHome();
    const pkg = join(elsewhere.home, 'cli');
    cpSync(join(cliRoot, 'dist'), join(pkg, 'dist'), { recursive: true });
    cpSync(join(cliRoot, 'bin'), join(pkg, 'bin'), { recursive: true });
    const r = await runNode(join(pkg, 'bin', 'mlapi.js'), ['--version'], { home: elsewhere });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0.1.0\n');
    expect(readFileSync(join(pkg, 'dist', 'mlapi.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // a command's module is a chunk of its own, loaded when it runs
    const help = await runNode(join(pkg, 'bin', 'mlapi.js'), ['predict', 'v2', '--help'], { home: elsewhere });
    expect(help.stdout).toContain('--lstat <number>');
  });

  it('`npx mlapi` in the repository builds the bundle on first use, and again only when the sources are newer', async () => {
    const home = newHome();
    const env = { MLAPI_CLI_DIST: join(home.home, 'dist') };
    const shim = join(cliRoot, 'bin', 'mlapi.js');
    const first = await runNode(shim, ['predict', 'v3'], { home, env });
    expect(first.stderr).toMatch(/^mlapi: building .*dist\/mlapi\.js from the sources/);
    expect(first.stderr).toContain("unknown command 'v3'");
    expect(first.code).toBe(2);
    const second = await runNode(shim, ['--version'], { home, env });
    expect(second).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    utimesSync(join(home.home, 'dist', 'mlapi.js'), new Date(2000, 0, 1), new Date(2000, 0, 1)); // older than every source
    const stale = await runNode(shim, ['--version'], { home, env });
    expect(stale.stderr).toMatch(/^mlapi: building /);
    expect(stale.stdout).toBe('0.1.0\n');
  }, 120_000);
});
