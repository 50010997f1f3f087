import { PredictionLog, ServiceCall } from '@mlapi/db';
import { testDialects } from '@mlapi/db/testing';
import type { OnnxManifestInput } from '@mlapi/onnx';
import { tinyHouse, writeLinearModel, writeLogisticModel, writeManifest, type TinyHouse } from '@mlapi/onnx/testing';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/app-router.ts';
import { signedInServer, testJwtSecret, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';

/**
 * Bring your own model: ONNX graphs written by the test (outputs known by hand) served as v2 (a regressor in
 * place of the built-in house-price model) and v1 (a classifier), over REST and /trpc, then hot-reloaded.
 */
const { manifest: houseManifest, price: priceOf, weights } = tinyHouse;
const weightsV1 = weights.first;
const weightsV2 = weights.second;
const price = (w: readonly number[], bias: number, x: TinyHouse) => priceOf({ weights: w, bias }, x);
const writeHouseModel = tinyHouse.write;

const spamManifest: OnnxManifestInput = {
  service: 'v1',
  name: 'tiny-spam',
  version: '0.1.0',
  task: 'classification',
  input: {
    tensor: 'float_input',
    fields: [
      { name: 'links', type: 'integer', min: 0, max: 1000 },
      { name: 'exclamations', type: 'integer', min: 0 },
    ],
  },
  output: { tensor: 'probabilities', labels: ['ham', 'spam'], positive_label: 'spam', field: 'category' },
};

describe.each(testDialects)('ONNX models served as v1 and v2 on %s', (dialect) => {
  const house = { rooms: 3, area: 80, garden: true };
  let dirV2: string;
  let dirV1: string;
  let server: TestServer;
  let api: RestClient;
  let admin: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlapi-onnx-'));
    dirV2 = join(root, 'house');
    dirV1 = join(root, 'spam');
    await writeHouseModel(dirV2, '1.0.0');
    await writeLogisticModel(dirV1, { weights: [1, 0.5], bias: -3, columns: 2 });
    await writeManifest(dirV1, spamManifest);
    ({ server, api, admin } = await signedInServer(dialect, { MODEL_DIR_V1: dirV1, MODEL_DIR_V2: dirV2 }));
  });
  afterAll(() => server.stop());

  it('predicts over REST with the values the graph gives, scaled as the manifest says, and logs the version', async () => {
    const res = await api.post('/mlservice/v2/predict', house, admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      price: price(weightsV1.weights, weightsV1.bias, house),
      prediction_id: expect.any(Number),
      model_version: '1.0.0',
    });

    const log = await server.deps.db.fork().findOneOrFail(PredictionLog, { id: res.body.prediction_id });
    expect(log).toMatchObject({ modelName: 'tiny-house', modelVersion: '1.0.0', predictedValue: 60_000 }); // (3·2 + 80·0.5 + 1·4 + 10) × 1000
    const call = await server.deps.db
      .fork()
      .findOneOrFail(ServiceCall, { serviceVersion: 'v2', success: true }, { orderBy: { id: 'desc' } });
    expect(call.modelVersion).toBe('1.0.0');
  });

  it('validates input by the manifest: a 422 names each bad field', async () => {
    const res = await api.post('/mlservice/v2/predict', { rooms: 2.5, area: -1 }, admin);
    expect(res.status).toBe(422);
    const paths = res.body.issues.map((i: { path: string[] }) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['rooms', 'area', 'garden']));
  });

  it('batches in one call, in order', async () => {
    const items = [house, { rooms: 1, area: 0, garden: false }, { rooms: 20, area: 1000, garden: true }];
    const res = await api.post('/mlservice/v2/predict/batch', { items }, admin);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { price: number }) => i.price)).toEqual(
      items.map((x) => price(weightsV1.weights, weightsV1.bias, x)),
    );
  });

  it('serves a classifier as v1: label, P(positive) and every probability; feedback and metrics work with its labels', async () => {
    const res = await api.post('/mlservice/v1/predict', { links: 4, exclamations: 2 }, admin);
    expect(res.status).toBe(200);
    const p = 1 / (1 + Math.exp(-(4 * 1 + 2 * 0.5 - 3))); // sigmoid(2)
    expect(res.body.category).toBe('spam');
    expect(res.body.probability).toBeCloseTo(p, 5);
    expect(res.body.probabilities.ham).toBeCloseTo(1 - p, 5);
    const ham = await api.post('/mlservice/v1/predict', { links: 0, exclamations: 0 }, admin);
    expect(ham.body.category).toBe('ham');

    expect(
      (await api.post('/mlservice/v1/feedback', { prediction_id: res.body.prediction_id, actual: 'spam' }, admin))
        .status,
    ).toBe(200);
    expect(
      (await api.post('/mlservice/v1/feedback', { prediction_id: ham.body.prediction_id, actual: 'eggs' }, admin))
        .status,
    ).toBe(422);
    const metrics = await api.get('/mlservice/v1/metrics', admin);
    expect(metrics.body.models[0]).toMatchObject({
      model_version: '0.1.0',
      count: 1,
      positive_label: 'spam',
      accuracy: 1,
    });
  });

  it('the OpenAPI document and GET /mlservice/v2/model describe the manifest fields', async () => {
    const doc = (await api.get('/openapi.json')).body;
    const body = doc.paths['/mlservice/v2/predict'].post.requestBody.content['application/json'].schema;
    const props = body.properties ?? doc.components.schemas[body.$ref?.split('/').pop()]?.properties;
    expect(Object.keys(props)).toEqual(['rooms', 'area', 'garden']);
    expect(props.area.description).toContain('Floor area');

    const model = await api.get('/mlservice/v2/model', admin);
    expect(model.status).toBe(200);
    expect(model.body).toMatchObject({
      service: 'v2',
      name: 'tiny-house',
      version: '1.0.0',
      source: 'onnx',
      task: 'regression',
    });
    expect(model.body.input_schema.required).toEqual(['rooms', 'area', 'garden']);
    expect(model.body).not.toHaveProperty('directory');
  });

  it('the same procedures answer over /trpc', async () => {
    const trpc = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${server.url}/trpc`,
          transformer: superjson,
          headers: { authorization: `Bearer ${admin}` },
        }),
      ],
    });
    const reply = await trpc.ml.v2.predict.mutate(house);
    expect(reply).toMatchObject({ price: price(weightsV1.weights, weightsV1.bias, house), model_version: '1.0.0' });
  });

  it('lists the served models for admins only', async () => {
    const res = await api.get('/admin/models', admin);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        service: 'v1',
        source: 'onnx',
        name: 'tiny-spam',
        labels: ['ham', 'spam'],
        directory: dirV1,
      }),
      expect.objectContaining({
        service: 'v2',
        source: 'onnx',
        name: 'tiny-house',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
    expect((await api.get('/admin/models', user.token)).status).toBe(403);
    expect((await api.post('/admin/models/v2/reload', undefined, user.token)).status).toBe(403);
  });

  it('hot reload swaps in the new version under load: no call lost, each reply from one whole model', async () => {
    const user = await userWithRights(api, admin, { is_active: true, has_access_v2: true });
    const expected: Record<string, number> = { '1.0.0': price(weightsV1.weights, weightsV1.bias, house) };
    const replies: { status: number; body: { price: number; model_version: string } }[] = [];
    let loading = true;
    const clients = Array.from({ length: 8 }, async () => {
      while (loading) replies.push(await api.post('/mlservice/v2/predict', house, user.token));
    });
    const before = await countCalls(user.id);

    await new Promise((r) => setTimeout(r, 150));
    await writeHouseModel(dirV2, '1.1.0', weightsV2);
    const reload = await api.post('/admin/models/v2/reload', undefined, admin);
    expect(reload.status).toBe(200);
    expect(reload.body).toMatchObject({
      service: 'v2',
      changed: true,
      previous: { version: '1.0.0' },
      current: { version: '1.1.0', source: 'onnx' },
    });
    expected['1.1.0'] = price(weightsV2.weights, weightsV2.bias, house);
    await new Promise((r) => setTimeout(r, 150));
    loading = false;
    await Promise.all(clients);

    expect(replies.length).toBeGreaterThan(10);
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    for (const r of replies) expect(r.body.price).toBe(expected[r.body.model_version]);
    const versions = new Set(replies.map((r) => r.body.model_version));
    expect(versions).toEqual(new Set(['1.0.0', '1.1.0']));
    expect(replies.at(-1)!.body.model_version).toBe('1.1.0');
    expect((await countCalls(user.id)) - before).toBe(replies.length);

    const audit = await api.get('/admin/audit?limit=5', admin);
    expect(audit.body.items[0]).toMatchObject({ action: 'models.reload', details: { service: 'v2' } });

    // The registry recorded both: the directory configured at start-up, then the reloaded files, by the admin.
    const registry = await api.get('/admin/models/v2/versions', admin);
    expect(registry.status).toBe(200);
    expect(registry.body.live).toBe('1.1.0');
    expect(registry.body.items.map((v: { version: string; state: string }) => [v.version, v.state])).toEqual([
      ['1.1.0', 'live'],
      ['1.0.0', 'retired'],
    ]);
    expect(registry.body.items[0]).toMatchObject({ source: 'onnx', registered_by: 'superuser@example.com' });
    expect(registry.body.items[0].files.map((f: { path: string }) => f.path)).toEqual(['manifest.json', 'model.onnx']);
    expect(registry.body.history).toMatchObject([
      { version: '1.1.0', action: 'reload', by: 'superuser@example.com', live_until: null },
      { version: '1.0.0', action: 'configured', by: null },
    ]);
  });

  it('a reload of changed files under a version the registry holds is refused: a version names one content', async () => {
    await writeHouseModel(dirV2, '1.1.0', weightsV1);
    const refused = await api.post('/admin/models/v2/reload', undefined, admin);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/still serves tiny-house 1\.1\.0: .*version 1\.1\.0 with other files/);
    await writeHouseModel(dirV2, '1.1.0', weightsV2);
    expect((await api.post('/admin/models/v2/reload', undefined, admin)).body).toMatchObject({ changed: false });
  });

  it('a reload that would change the API, or a broken model, is refused and the old model keeps serving', async () => {
    const serving = (await api.get('/mlservice/v2/model', admin)).body.version;
    await writeHouseModel(
      dirV2,
      '9.0.0',
      weightsV1,
      houseManifest('9.0.0', { output: { tensor: 'variable', field: 'value' } }),
    );
    const changed = await api.post('/admin/models/v2/reload', undefined, admin);
    expect(changed.status).toBe(409);
    expect(changed.body.message).toMatch(/reply fields.*restart/);

    await writeHouseModel(
      dirV2,
      '9.0.1',
      weightsV1,
      houseManifest('9.0.1', { input: { tensor: 'x', fields: houseManifest('').input.fields } }),
    );
    const mismatch = await api.post('/admin/models/v2/reload', undefined, admin);
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.message).toContain('float_input');
    expect(mismatch.body.message).toContain(`still serves tiny-house ${serving}`);

    await rm(join(dirV2, 'model.onnx'));
    expect((await api.post('/admin/models/v2/reload', undefined, admin)).status).toBe(409);

    const still = await api.post('/mlservice/v2/predict', house, admin);
    expect(still.status).toBe(200);
    expect(still.body.model_version).toBe(serving);
  });

  const countCalls = (owner: number) => server.deps.db.fork().count(ServiceCall, { owner });
});

describe('reloading a built-in model', () => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => ({ server, api, admin } = await signedInServer('sqlite')));
  afterAll(() => server.stop());

  it('is a 409 that says how to serve your own', async () => {
    const res = await api.post('/admin/models/v1/reload', undefined, admin);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('MODEL_DIR_V1');
    const list = await api.get('/admin/models', admin);
    expect(list.body.items.map((m: { source: string }) => m.source)).toEqual(['builtin', 'builtin']);
    expect((await api.post('/admin/models/v3/reload', undefined, admin)).status).toBe(422);
  });
});

describe('start-up with a model that does not match its manifest', () => {
  /** The real server process; resolves with its exit code and what it wrote to stderr. */
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((done) => {
      const main = new URL('../src/main.ts', import.meta.url).pathname;
      const child = spawn(process.execPath, ['--import', 'tsx', main], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          PORT: '0',
          HOST: '127.0.0.1',
          JWT_SECRET: testJwtSecret,
          LOG_LEVEL: 'silent',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => done({ code, stderr }));
    });

  it('stops with one message naming the mismatch, before opening the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlapi-onnx-bad-'));
    await writeLinearModel(dir, { weights: [1, 2], bias: 0 }); // two features; the manifest lists three
    await writeManifest(dir, houseManifest('1.0.0'));
    const { code, stderr } = await run({ MODEL_DIR_V2: dir, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/never' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^mlapi could not start: .*model\.onnx/);
    expect(stderr).toContain(dir);
    expect(stderr).toMatch(/2\b.*3\b|3\b.*2\b/); // the graph's feature count and the manifest's
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a model made for the other service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlapi-onnx-svc-'));
    await writeHouseModel(dir, '1.0.0');
    const { code, stderr } = await run({ MODEL_DIR_V1: dir, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/never' });
    expect(code).toBe(1);
    expect(stderr).toContain('v2');
    expect(stderr).toContain('v1');
  });
});
