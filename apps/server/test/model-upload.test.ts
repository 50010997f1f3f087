import { testDialects } from '@mlapi/db/testing';
import { builtInArtifacts } from '@mlapi/ml';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, userWithRights, type RestClient, type TestServer } from '@mlapi/server/testing';
import { builtInV1Upload } from './fixtures.ts';

const MiB = 1024 * 1024;

/** A body of about `bytes` bytes that is a well-formed upload of one file. */
const uploadOf = (bytes: number) => ({
  files: [{ path: 'model.onnx', content_base64: Buffer.alloc(Math.floor((bytes * 3) / 4)).toString('base64') }],
});

describe.each(testDialects)('uploading a model directory on %s', (dialect) => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  beforeAll(async () => {
    ({ server, api, admin } = await signedInServer(dialect, { MAX_UPLOAD_BYTES: String(4 * MiB) }));
  });
  afterAll(() => server?.stop());

  it('registers the uploaded files as a version, over MAX_BODY_BYTES, and audits what was sent, not its bytes', async () => {
    const files = [
      ...builtInV1Upload('5.0.0'),
      { path: 'README.md', content_base64: Buffer.from('notes').toString('base64') },
    ];
    const body = { files };
    expect(JSON.stringify(body).length).toBeGreaterThan(MiB);
    const reply = await api.post('/admin/models/v1/versions', body, admin);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ version: '5.0.0', source: 'builtin', state: 'registered' });
    // What the model uses is stored; the README is not.
    expect(reply.body.files.map((f: { path: string }) => f.path)).toEqual(builtInArtifacts.v1.files);
    const shipped = (await api.get('/admin/models/v1/versions', admin)).body.items.find(
      (v: { state: string }) => v.state === 'live',
    );
    // Same weights as the shipped version: the same stored bytes.
    expect(reply.body.files[1].sha256).toBe(shipped.files[1].sha256);

    const [audit] = (await api.get('/admin/audit?limit=1', admin)).body.items;
    expect(audit.action).toBe('models.register');
    expect(audit.details.files).toEqual([
      { path: builtInArtifacts.v1.files[0], bytes: expect.any(Number) },
      { path: builtInArtifacts.v1.files[1], bytes: shipped.files[1].size },
      { path: 'README.md', bytes: 5 },
    ]);
    expect(JSON.stringify(audit)).not.toContain(files[1]!.content_base64.slice(0, 100));

    const promoted = await api.post('/admin/models/v1/promote', { version: '5.0.0' }, admin);
    expect(promoted.body).toMatchObject({ live: '5.0.0', changed: true });
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    const predicted = await api.post('/mlservice/v1/predict', { text: 'win a free prize now' }, user.token);
    expect(predicted.body.model_version).toBe('5.0.0');
  });

  it('reads a large body only once the caller is an admin; over MAX_UPLOAD_BYTES is a 413 naming it', async () => {
    const big = uploadOf(6 * MiB);
    const user = await userWithRights(api, admin, { is_active: true, has_access_v1: true });
    expect((await api.post('/admin/models/v1/versions', big)).status).toBe(401);
    expect((await api.post('/admin/models/v1/versions', big, user.token)).status).toBe(403);
    const tooBig = await api.post('/admin/models/v1/versions', big, admin);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toContain(`${4 * MiB} bytes (MAX_UPLOAD_BYTES)`);
    // Every other route keeps MAX_BODY_BYTES.
    const elsewhere = await api.post('/admin/models/v1/promote', { version: 'x'.repeat(2 * MiB) }, admin);
    expect(elsewhere.status).toBe(413);
    expect(elsewhere.body.message).toContain('(MAX_BODY_BYTES)');
    // The document says so too.
    const doc = (await api.get('/openapi.json')).body;
    const documented = doc.paths['/admin/models/{service}/versions'].post.responses['413'];
    expect(documented.content['application/json'].example.message).toContain('(MAX_UPLOAD_BYTES)');
  });

  it('names the field of a bad upload, and the files a directory lacks; nothing is left staged', async () => {
    const refused = async (body: unknown, status: number, says: string) => {
      const reply = await api.post('/admin/models/v1/versions', body, admin);
      expect(reply.status).toBe(status);
      expect(JSON.stringify(reply.body)).toContain(says);
    };
    await refused({ files: [{ path: 'model.onnx', content_base64: 'not base64!' }] }, 422, 'content_base64');
    await refused({ files: [{ path: '../model.onnx', content_base64: 'AAAA' }] }, 422, 'path');
    await refused({ files: [{ path: '.env', content_base64: 'AAAA' }] }, 422, 'path');
    await refused({ files: [] }, 422, 'files');
    const twice = { path: 'a.json', content_base64: 'AAAA' };
    await refused({ files: [twice, twice] }, 422, 'twice');
    await refused({ dir: '/models/x', files: [twice] }, 422, 'either dir');
    await refused({}, 422, 'either dir');
    // Well-formed, but not a model: which files are missing, named as the upload (not a staging folder).
    const partial = builtInV1Upload('5.1.0').slice(0, 1);
    const reply = await api.post('/admin/models/v1/versions', { files: partial }, admin);
    expect(reply.status).toBe(409);
    expect(reply.body.message).toContain(`the upload: neither manifest.json`);
    expect(reply.body.message).toContain(builtInArtifacts.v1.files[1]);
    const uploads = join(server.deps.dataDir, 'uploads');
    expect(existsSync(uploads) ? readdirSync(uploads) : []).toEqual([]);
  });
});
