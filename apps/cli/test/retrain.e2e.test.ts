import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, restClient, startTestServer, superuser, userWithRights, type TestServer } from '@mlapi/server/testing';
import { house, mlapi, newHome } from './helpers.ts';

let server: TestServer;
const home = newHome();
const asAdmin = (args: string[]) => mlapi(args, { home, url: server.url });

/** Forty v2 predictions with feedback, half of them flagged for training. */
beforeAll(async () => {
  server = await startTestServer('sqlite');
  const api = restClient(server.url);
  const admin = await login(api, superuser.username, superuser.password);
  const ada = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
  const flagged: number[] = [];
  for (let i = 0; i < 40; i++) {
    const p = await api.post('/mlservice/v2/predict', { ...house, rm: 5 + i / 10 }, ada.token);
    await api.post(
      '/mlservice/v2/feedback',
      { prediction_id: p.body.prediction_id, actual: p.body.price + 500 },
      ada.token,
    );
    if (i % 2) flagged.push(p.body.prediction_id);
  }
  await api.put('/admin/datasets/v2/train-data', { is_train_data: true, prediction_ids: flagged }, admin);
  const r = await mlapi(['login', '--username', superuser.username, '--password-stdin'], {
    home,
    url: server.url,
    input: `${superuser.password}\n`,
  });
  expect(r.code).toBe(0);
});
afterAll(() => server?.stop());

describe('mlapi admin models retrain', () => {
  it('--watch follows the job and prints the evaluation gate, candidate beside live with intervals', async () => {
    const r = await asAdmin(['admin', 'models', 'retrain', 'v2', '--watch']);
    expect(r.stderr).toContain('training…');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^v2 retraining job 1 \(version 1\.2\.0 by .*\): succeeded, done\n/);
    expect(r.stdout).toContain('trained on 20 labelled examples flagged for training');
    expect(r.stdout).toContain('Evaluation gate against 1.1.0: passed\n');
    expect(r.stdout).toContain(
      'recent examples: only 20 not used for training (fewer than 30), so the primary test was not applied',
    );
    expect(r.stdout).toMatch(/held-out split: MAE [\d,]+ against live's cross-validated MAE [\d,]+ \(at most [\d,]+\)/);
    expect(r.stdout).toMatch(/recent \(n=20\)/);
    expect(r.stdout).toMatch(/MAE\s+[\d,]+ \[[\d,]+–[\d,]+\]\s+500 \[500–500\]/);
    expect(r.stdout).toContain('mlapi admin models deploy v2 1.2.0 --shadow');
  });

  it('retrain-status shows the latest job; --json gives the job as the API does', async () => {
    const r = await asAdmin(['admin', 'models', 'retrain-status', 'v2', '--json']);
    expect(r.code).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job).toMatchObject({ id: 1, service: 'v2', state: 'succeeded', version: '1.2.0', train_examples: 20 });
    expect(job.evaluation.holdout.candidate.n).toBe(101);
    const none = await asAdmin(['admin', 'models', 'retrain-status', 'v1']);
    expect(none.stdout).toBe('v1 has not been retrained yet: mlapi admin models retrain v1\n');
  });

  it('refuses a version that exists (409) and a bad one (usage, exit 2), naming it', async () => {
    const taken = await asAdmin(['admin', 'models', 'retrain', 'v2', '--as', '1.2.0']);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain('already has a version 1.2.0');
    const bad = await asAdmin(['admin', 'models', 'retrain', 'v2', '--as', 'latest']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--as: version must be a semantic version/);
  });
});
