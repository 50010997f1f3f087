import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, superuser, type TestServer } from '@mlapi/server/testing';
import { hamMail, mlapi, newHome } from './helpers.ts';

let server: TestServer;
const home = newHome();
const run = (args: string[], input?: string) => mlapi(args, { home, url: server.url, input });

beforeAll(async () => {
  server = await startTestServer('sqlite', { LOG_INPUTS: 'hash' });
  const login = await run(['login', '-u', superuser.username, '--password-stdin'], `${superuser.password}\n`);
  expect(login.code).toBe(0);
});
afterAll(() => server?.stop());

describe('mlapi feedback --input, against a server that logs inputs as a hash', () => {
  it('needs the input again, takes it as JSON, and refuses what is not a JSON object', async () => {
    const mail = hamMail(3);
    const prediction = JSON.parse((await run(['predict', 'v1', mail, '--json'])).stdout) as { prediction_id: number };
    const id = String(prediction.prediction_id);

    const without = await run(['feedback', 'v1', id, 'ham']);
    expect(without.code).not.toBe(0);
    expect(without.stderr).toContain('LOG_INPUTS=hash');

    const wrong = await run(['feedback', 'v1', id, 'ham', '--input', JSON.stringify({ text: 'another mail' })]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('SHA-256');

    const ok = await run(['feedback', 'v1', id, 'ham', '--input', JSON.stringify({ text: mail }), '--json']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toMatchObject({ prediction_id: prediction.prediction_id, actual: 'ham' });

    for (const bad of ['{not json', '"a string"', '[1]']) {
      const r = await run(['feedback', 'v1', id, 'ham', '--input', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--input must be/);
    }
  });
});
