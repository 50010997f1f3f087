import { tinyHouse, writeLinearModel, writeManifest, type TinyHouse } from '@mlapi/onnx/testing';
import { builtInArtifacts } from '@mlapi/ml';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestServer, superuser, type TestServer } from '@mlapi/server/testing';
import {
  createClient,
  customModel,
  type MlapiClient,
  type ModelPromotionOutput,
  type ModelReloadOutput,
  type ModelVersionsOutput,
  type RolloutOutput,
  type ServedModelDto,
  type ServiceModelDto,
} from '../src/index.ts';
import { failure } from './failure.ts';

/** A house-price model of your own, served as v2 from an ONNX file written here: price = (x·w + b) × 1000. */
type House = TinyHouse;
type Price = { price: number };

const { manifest, price } = tinyHouse;
const { first: weights1, second: weights2 } = tinyHouse.weights;

const dir = join(mkdtempSync(join(tmpdir(), 'mlapi-sdk-onnx-')), 'house');
let server: TestServer;
let admin: MlapiClient;

beforeAll(async () => {
  await writeLinearModel(dir, weights1);
  await writeManifest(dir, manifest('1.0.0'));
  server = await startTestServer('sqlite', { MODEL_DIR_V2: dir });
  admin = createClient({ url: server.url });
  await admin.login(superuser.username, superuser.password);
});
afterAll(() => server?.stop());

describe('a service that serves your own model (ONNX)', () => {
  const x: House = { rooms: 3, area: 80, garden: true };

  it('customModel: describes the model, predicts and batches with your types, takes feedback', async () => {
    const houses = customModel<House, Price>(admin, 'v2');
    const model = await houses.describe();
    expectTypeOf(model).toEqualTypeOf<ServiceModelDto>();
    expect(model).toMatchObject({
      service: 'v2',
      name: 'tiny-house',
      version: '1.0.0',
      source: 'onnx',
      task: 'regression',
    });
    expect(Object.keys(model.input_schema['properties'] as object)).toEqual(['rooms', 'area', 'garden']);

    const reply = await houses.predict(x);
    expectTypeOf(reply.price).toEqualTypeOf<number>();
    expectTypeOf(reply.prediction_id).toEqualTypeOf<number>();
    expect(reply).toEqual({ price: price(weights1, x), prediction_id: expect.any(Number), model_version: '1.0.0' });
    expect(reply.price).toBe(60_000); // (3·2 + 80·0.5 + 1·4 + 10) × 1000

    const items: House[] = [x, { rooms: 1, area: 0, garden: false }];
    const batch = await houses.batch(items);
    expect(batch.count).toBe(2);
    expect(batch.items.map((i) => i.price)).toEqual(items.map((i) => price(weights1, i)));

    const fb = await houses.feedback(reply.prediction_id, 61_000);
    expect(fb).toMatchObject({ prediction_id: reply.prediction_id, actual: 61_000 });
  });

  it('the plain procedures work too, with the input cast (their static types describe the built-in models)', async () => {
    const reply = await admin.ml.v2.predict.mutate(x);
    expect((reply as unknown as Price).price).toBe(price(weights1, x));
  });

  it("bad input is a BAD_REQUEST naming each field by the model's manifest", async () => {
    const err = await failure(customModel(admin, 'v2').predict({ rooms: 30, area: 80 }));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', status: 400, path: 'ml.v2.predict' });
    expect(err.issues.map((i) => i.path.join('.')).sort()).toEqual(['garden', 'rooms']);
    expect(err.issues.find((i) => i.path[0] === 'rooms')?.message).toBe('rooms must be <= 20');
  });

  it('lists the served models (admin)', async () => {
    const { items } = await admin.models.list.query();
    expectTypeOf(items).toEqualTypeOf<ServedModelDto[]>();
    expect(items).toEqual([
      expect.objectContaining({ service: 'v1', source: 'builtin', directory: null }),
      expect.objectContaining({
        service: 'v2',
        source: 'onnx',
        name: 'tiny-house',
        version: '1.0.0',
        directory: dir,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
  });

  it('reloads a new version written into the directory; the next prediction comes from it', async () => {
    await writeLinearModel(dir, weights2);
    await writeManifest(dir, manifest('1.1.0'));
    const reload = await admin.models.reload.mutate({ service: 'v2' });
    expectTypeOf(reload).toEqualTypeOf<ModelReloadOutput>();
    expect(reload).toMatchObject({
      service: 'v2',
      changed: true,
      previous: { version: '1.0.0' },
      current: { version: '1.1.0', source: 'onnx' },
    });
    expect(reload.current.sha256).not.toBe(reload.previous.sha256);
    const reply = await customModel<House, Price>(admin, 'v2').predict(x);
    expect(reply).toMatchObject({ price: price(weights2, x), model_version: '1.1.0' });
    expect((await admin.models.reload.mutate({ service: 'v2' })).changed).toBe(false);

    // Both versions are in the registry; a rollback and a promote switch between them.
    const versions = await admin.models.versions.query({ service: 'v2' });
    expectTypeOf(versions).toEqualTypeOf<ModelVersionsOutput>();
    expect(versions.items.map((v) => [v.version, v.state])).toEqual([
      ['1.1.0', 'live'],
      ['1.0.0', 'retired'],
    ]);
    const back = await admin.models.rollback.mutate({ service: 'v2' });
    expectTypeOf(back).toEqualTypeOf<ModelPromotionOutput>();
    expect(back).toEqual({ service: 'v2', previous: '1.1.0', live: '1.0.0', changed: true, rollout_ended: null });
    expect((await customModel<House, Price>(admin, 'v2').predict(x)).model_version).toBe('1.0.0');
    expect(await admin.models.promote.mutate({ service: 'v2', version: '1.1.0' })).toMatchObject({ live: '1.1.0' });

    // A canary of 1.0.0 beside it, then stopped.
    const rollout = await admin.models.rollout.mutate({ service: 'v2', version: '1.0.0', mode: 'canary', percent: 25 });
    expectTypeOf(rollout).toEqualTypeOf<RolloutOutput>();
    expect(rollout).toMatchObject({ candidate: '1.0.0', baseline: '1.1.0', percent: 25, outcome: null });
    expect((await admin.models.versions.query({ service: 'v2' })).rollout?.candidate).toBe('1.0.0');
    expect(await admin.models.rollback.mutate({ service: 'v2' })).toMatchObject({
      rollout_ended: '1.0.0',
      live: '1.1.0',
    });
    expect((await customModel<House, Price>(admin, 'v2').predict(x)).model_version).toBe('1.1.0');
  });

  it('registers an upload of a directory’s files over /trpc, past MAX_BODY_BYTES (uploads have their own limit)', async () => {
    const { dir: shipped, files, card } = builtInArtifacts.v1;
    const upload = files.map((path) => {
      let bytes = readFileSync(join(fileURLToPath(shipped), path));
      if (path === card) {
        const artifact = JSON.parse(bytes.toString('utf8'));
        artifact.card.version = '3.0.0';
        bytes = Buffer.from(JSON.stringify(artifact));
      }
      return { path, content_base64: bytes.toString('base64') };
    });
    expect(JSON.stringify(upload).length).toBeGreaterThan(1024 * 1024);
    const registered = await admin.models.register.mutate({ service: 'v1', files: upload });
    expect(registered).toMatchObject({ version: '3.0.0', state: 'registered', source: 'builtin' });
    const bad = await failure(
      admin.models.register.mutate({ service: 'v1', files: [{ path: 'a/b', content_base64: '' }] }),
    );
    expect(bad).toMatchObject({ code: 'BAD_REQUEST' });
    expect(bad.message).toContain('path');
  });

  it('a reload of a built-in service is a 409 CONFLICT saying how to serve your own', async () => {
    const err = await failure(admin.models.reload.mutate({ service: 'v1' }));
    expect(err).toMatchObject({ code: 'CONFLICT', status: 409 });
    expect(err.message).toContain('MODEL_DIR_V1');
  });
});
