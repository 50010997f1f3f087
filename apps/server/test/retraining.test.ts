import { testDialects, createTestDatabase } from '@mlapi/db/testing';
import { loadBostonRows } from '@mlapi/ml/training-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noQuotas, startReplicas, stopReplicas, until } from './fixtures.ts';
import { startServer, type RunningServer } from '../src/app.ts';
import { login, restClient, superuser, testServerEnv, userWithRights, type RestClient } from '@mlapi/server/testing';

/** The Boston rows: inputs the way a client sends them, and their true prices in dollars. */
const rows = loadBostonRows().map(({ cmedv, ...input }) => ({ input, price: Math.round(cmedv * 1000) }));

describe.each(testDialects)('retraining behind an evaluation gate on %s', (dialect) => {
  const database = createTestDatabase(dialect);
  let servers: RunningServer[] = [];
  let api: RestClient;
  let admin: string;
  let user: string;
  /** The predictions whose feedback flipped their price. */
  let flipped: number[] = [];

  beforeAll(async () => {
    servers = await startReplicas(dialect, database.url);
    api = restClient(servers[0]!.url);
    admin = await login(api, superuser.username, superuser.password);
    user = (await userWithRights(api, admin, { is_active: true, has_access_v2: true })).token;
  }, 60_000);
  afterAll(async () => {
    await stopReplicas(servers);
    await database.drop();
  });

  /** Predicts each row's input and reports `truth(row, predicted)` as its feedback; the prediction ids. */
  async function labelled(which: typeof rows, truth: (price: number, predicted: number) => number) {
    const ids: number[] = [];
    for (const row of which) {
      const p = await api.post('/mlservice/v2/predict', row.input, user);
      expect(p.status).toBe(200);
      const fb = await api.post(
        '/mlservice/v2/feedback',
        { prediction_id: p.body.prediction_id, actual: truth(row.price, p.body.price) },
        user,
      );
      expect(fb.status).toBe(200);
      ids.push(p.body.prediction_id);
    }
    return ids;
  }

  const flag = (ids: number[]) =>
    api.put('/admin/datasets/v2/train-data', { is_train_data: true, prediction_ids: ids }, admin);

  /** Waits for a job to end, noting each phase and progress it showed on the way. */
  async function ended(id: number) {
    const seen: { phase: string; done: number; total: number }[] = [];
    let job: any;
    await until(
      `retraining job ${id}`,
      async () => {
        job = (await api.get(`/admin/models/v2/retrain/${id}`, admin)).body;
        seen.push({ phase: job.phase, ...job.progress });
        return job.state !== 'running';
      },
      120_000,
    );
    return { job, seen };
  }

  it('refuses bad requests, naming the field, and non-admins', async () => {
    for (const [body, field] of [
      [{ version: 'one' }, 'version'],
      [{ auto_shadow: 'yes' }, 'auto_shadow'],
    ] as const) {
      const reply = await api.post('/admin/models/v2/retrain', body, admin);
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify(reply.body)).toContain(field);
    }
    expect((await api.post('/admin/models/v3/retrain', {}, admin)).status).toBe(422);
    expect((await api.post('/admin/models/v2/retrain', {}, user)).status).toBe(403);
    expect((await api.get('/admin/models/v2/retrain/987654', admin)).status).toBe(404);
  });

  it('feedback that contradicts the base data, flagged for training, moves the retrained answers toward it', async () => {
    // Forty houses whose feedback says each is worth 15,000 more than predicted: flagged to train the next model.
    const contradicted = rows.slice(200, 240);
    expect((await flag(await labelled(contradicted, (_, predicted) => predicted + 15_000))).body.changed).toBe(40);
    // Forty others told their true price and left out of training: the gate's recent examples.
    await labelled(rows.slice(0, 40), (price) => price);

    const started = await api.post('/admin/models/v2/retrain', {}, admin);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      service: 'v2',
      state: 'running',
      version: '1.2.0',
      requested_by: superuser.username,
    });
    const { job, seen } = await ended(started.body.id);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ state: 'succeeded', phase: 'done', train_examples: 40, shadow_started: false });
    // Its progress was readable while it trained: trees of six fits (5 folds and the final one).
    const training = seen.filter((s) => s.phase === 'training' && s.total > 0);
    expect(training.length).toBeGreaterThan(0);
    expect(training.at(-1)!.total).toBe(3000);

    const report = job.evaluation;
    expect(report.recent.candidate.n).toBe(40);
    expect(report.holdout.candidate.n).toBe(Math.floor(rows.length / 5));
    for (const m of [report.recent.candidate.mae, report.holdout.live.mae]) {
      expect(m.low).toBeLessThanOrEqual(m.value);
      expect(m.high).toBeGreaterThanOrEqual(m.value);
    }
    expect(report.gate.reasons.length).toBeGreaterThan(0);
    // The report is stored with the version.
    const versions = (await api.get('/admin/models/v2/versions', admin)).body;
    const registered = versions.items.find((v: any) => v.version === '1.2.0');
    expect(registered).toMatchObject({ state: 'registered', registered_by: superuser.username });
    expect(registered.evaluation.gate).toEqual(report.gate);
    expect(registered.card.shipped_artifact.trained_on).toContain('labelled examples flagged for training');

    // Live, it answers the contradicted houses higher, toward what the feedback said.
    const before = await Promise.all(
      contradicted.map(async (r) => (await api.post('/mlservice/v2/predict', r.input, user)).body.price),
    );
    expect((await api.post('/admin/models/v2/promote', { version: '1.2.0' }, admin)).status).toBe(200);
    await until(
      '1.1.0 live',
      async () => (await api.post('/mlservice/v2/predict', rows[0]!.input, user)).body.model_version === '1.2.0',
      5000,
    );
    const after = await Promise.all(
      contradicted.map(async (r) => (await api.post('/mlservice/v2/predict', r.input, user)).body.price),
    );
    const moved = after.reduce((s, p, i) => s + p - before[i]!, 0) / after.length;
    expect(moved).toBeGreaterThan(5000);
  }, 180_000);

  it('a candidate trained on flipped labels is stopped by the gate: registered, not shadowed', async () => {
    // The first 150 houses, priced upside down (cheap ones dear, dear ones cheap), flagged to train.
    flipped = await labelled(rows.slice(0, 150), (price) => 60_000 - price);
    expect((await flag(flipped)).body.changed).toBe(150);
    const started = await api.post('/admin/models/v2/retrain', { version: '1.3.0', auto_shadow: true }, admin);
    expect(started.status).toBe(202);
    const { job } = await ended(started.body.id);
    expect(job).toMatchObject({ state: 'succeeded', auto_shadow: true, shadow_started: false, train_examples: 190 });
    expect(job.evaluation.gate.passed).toBe(false);
    expect(job.evaluation.gate.reasons[0]).toMatch(/^failed: .*MAE/);
    const versions = (await api.get('/admin/models/v2/versions', admin)).body;
    expect(versions.rollout).toBeNull();
    expect(versions.items.find((v: any) => v.version === '1.3.0')).toMatchObject({ state: 'registered' });
  }, 180_000);

  it('one retraining of a service at a time; a version that exists is refused; a pass starts a shadow', async () => {
    expect((await api.post('/admin/models/v2/retrain', { version: '1.3.0' }, admin)).status).toBe(409);
    // The flipped examples no longer train: the next model learns what the live one did, and passes.
    const unflagged = await api.put(
      '/admin/datasets/v2/train-data',
      { is_train_data: false, prediction_ids: flipped },
      admin,
    );
    expect(unflagged.body.changed).toBe(150);
    const replies = await Promise.all(
      servers
        .concat(servers)
        .map((s) => restClient(s.url).post('/admin/models/v2/retrain', { version: '1.4.0', auto_shadow: true }, admin)),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(statuses.length - 1);
    expect(replies.find((r) => r.status === 409)!.body.message).toContain('being retrained already');
    const { job } = await ended(replies.find((r) => r.status === 202)!.body.id);
    expect(job).toMatchObject({ state: 'succeeded', train_examples: 40, shadow_started: true });
    expect(job.evaluation.gate.passed).toBe(true);
    expect(job.evaluation.recent.candidate.n).toBe(190);
    const versions = (await api.get('/admin/models/v2/versions', admin)).body;
    expect(versions.rollout).toMatchObject({
      candidate: '1.4.0',
      baseline: '1.2.0',
      mode: 'shadow',
      started_by: superuser.username,
    });
    expect((await api.post('/admin/models/v2/rollback', {}, admin)).status).toBe(200);
  }, 180_000);

  it('a server stopped mid-training fails its job and registers nothing; a start fails what a crash left running', async () => {
    // v1: its base data set (9,000 mails) takes long enough to train to stop the server on the way.
    const started = await api.post('/admin/models/v1/retrain', { version: '1.9.0' }, admin);
    expect(started.status).toBe(202);
    await until(
      'training',
      async () => (await api.get(`/admin/models/v1/retrain/${started.body.id}`, admin)).body.phase === 'training',
      30_000,
    );
    // A job a crashed server left running a minute ago (its heartbeat stopped then).
    const crashed = await servers[0]!.deps.data.retrainJobs.start({
      service: 'v2',
      version: '9.9.9',
      autoShadow: false,
      actor: null,
      at: new Date(Date.now() - 60_000),
    });
    await servers[0]!.close();
    servers[0] = await startServer(testServerEnv(database.url, noQuotas));
    api = restClient(servers[0].url);

    const stopped = (await api.get(`/admin/models/v1/retrain/${started.body.id}`, admin)).body;
    expect(stopped).toMatchObject({ state: 'failed', evaluation: null });
    expect(stopped.error).toContain('stopped');
    const left = (await api.get(`/admin/models/v2/retrain/${crashed.id}`, admin)).body;
    expect(left).toMatchObject({ state: 'failed', phase: 'failed' });
    expect(left.error).toContain('stopped before it ended');
    const versions = (await api.get('/admin/models/v1/versions', admin)).body.items.map((v: any) => v.version);
    expect(versions).not.toContain('1.9.0');
    expect((await api.get('/admin/models/v1/retrain', admin)).body.items[0]).toMatchObject({ id: started.body.id });
  }, 120_000);
});
