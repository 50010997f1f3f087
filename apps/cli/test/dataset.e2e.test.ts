import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import prettyBytes from 'pretty-bytes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, restClient, startTestServer, superuser, userWithRights, type TestServer } from '@mlapi/server/testing';
import { hamMail, mlapi, newHome } from './helpers.ts';

let server: TestServer;
const home = newHome();
const asAdmin = (args: string[], input?: string) => mlapi(args, { home, url: server.url, input });
const ids: number[] = [];

/** Two v1 predictions with feedback (two labelled examples) and one without. */
beforeAll(async () => {
  server = await startTestServer('sqlite');
  const api = restClient(server.url);
  const admin = await login(api, superuser.username, superuser.password);
  const ada = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
  for (let i = 0; i < 3; i++) {
    const p = await api.post('/mlservice/v1/predict', { text: hamMail(i) }, ada.token);
    if (i === 2) continue;
    await api.post('/mlservice/v1/feedback', { prediction_id: p.body.prediction_id, actual: 'ham' }, ada.token);
    ids.push(p.body.prediction_id);
  }
  const r = await asAdmin(['login', '--username', superuser.username, '--password-stdin'], `${superuser.password}\n`);
  expect(r.code).toBe(0);
});
afterAll(() => server?.stop());

describe('mlapi admin dataset flag', () => {
  it('flags the labelled examples the filters select, and says how many', async () => {
    const all = await asAdmin(['admin', 'dataset', 'flag', 'v1', '--train']);
    expect(all.stderr).toBe('');
    expect(all.stdout).toBe('v1: 2 labelled examples matched; 2 now train the next model.\n');
    const one = await asAdmin(['admin', 'dataset', 'flag', 'v1', '--ids', String(ids[0]), '--no-train', '--json']);
    expect(JSON.parse(one.stdout)).toEqual({ service: 'v1', is_train_data: false, matched: 1, changed: 1 });
    const later = await asAdmin(['admin', 'dataset', 'flag', 'v1', '--from', '2099-01-01', '--train']);
    expect(later.stdout).toBe('v1: 0 labelled examples matched; 0 now train the next model.\n');
  });

  it.each([
    [['v1'], /^mlapi: give --train or --no-train\n$/],
    [['v1', '--train', '--ids', '1,x'], /^mlapi: --ids must be a number\n$/],
    [['v1', '--train', '--from', '2026-13-01'], /--from must be a date/],
    [['v1', '--train', '--from', '2026-02-01', '--to', '2026-01-01'], /--from must be before to/],
    [['v1', '--train', '--user-id', '0'], /--user-id/],
  ])('%j is a usage error (exit 2) naming the option', async (args, message) => {
    const r = await asAdmin(['admin', 'dataset', 'flag', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('mlapi admin dataset export', () => {
  it('writes the examples to a file as JSONL, saying how many', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mlapi-export-')), 'v1.jsonl');
    const r = await asAdmin(['admin', 'dataset', 'export', 'v1', '--out', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Exported 2 v1 examples (${prettyBytes(readFileSync(file).length)}) to ${file}.\n`);
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.prediction_id)).toEqual(ids);
    expect(lines[0]).toMatchObject({ input: { text: hamMail(0) }, predicted: 'ham', actual: 'ham' });
  });

  it('--format csv --train-only to stdout: the header and the flagged examples', async () => {
    await asAdmin(['admin', 'dataset', 'flag', 'v1', '--no-train']);
    await asAdmin(['admin', 'dataset', 'flag', 'v1', '--ids', String(ids[1]), '--train']);
    const r = await asAdmin(['admin', 'dataset', 'export', 'v1', '--format', 'csv', '--train-only']);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^prediction_id,model_version,input,output,/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(new RegExp(`^${ids[1]},`));
  });

  it('a bad --format is a usage error naming it', async () => {
    const r = await asAdmin(['admin', 'dataset', 'export', 'v1', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format must be 'jsonl' or 'csv'/);
  });
});
