import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restClient, startTestServer, type RestClient, type TestServer } from '@mlapi/server/testing';

describe('OpenAPI document and Swagger UI', () => {
  let server: TestServer;
  let api: RestClient;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    api = restClient(server.url);
  });
  afterAll(() => server.stop());

  it("lists the original template's paths", async () => {
    const doc = (await api.get('/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/auth/create',
        '/auth/token',
        '/user',
        '/user/password',
        '/user/history',
        '/admin/users',
        '/admin/users/{user_id}',
        '/admin/users/{user_id}/role',
        '/admin/create',
        '/mlservice/v1/predict',
        '/mlservice/v2/predict',
        '/mlservice/v1/healthcheck',
        '/mlservice/v2/healthcheck',
        '/healthcheck',
      ]),
    );
  });

  it('offers the OAuth2 password flow against /auth/token, and only protected routes ask for it', async () => {
    const doc = (await api.get('/openapi.json')).body;
    expect(doc.components.securitySchemes.OAuth2PasswordBearer.flows.password.tokenUrl).toBe('/auth/token');
    expect(doc.paths['/mlservice/v1/predict'].post.security).toEqual([
      { OAuth2PasswordBearer: [] },
      { ApiKeyHeader: [] },
    ]);
    expect(doc.paths['/admin/users'].get.security).toEqual([{ OAuth2PasswordBearer: [] }]);
    expect(doc.components.securitySchemes.ApiKeyHeader).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    expect(doc.paths['/auth/token'].post.security).toEqual([]);
    expect(doc.paths['/auth/create'].post.security).toEqual([]);
    expect(Object.keys(doc.paths['/auth/token'].post.requestBody.content)).toContain(
      'application/x-www-form-urlencoded',
    );
  });

  it("describes v2's named features with their ranges", async () => {
    const doc = (await api.get('/openapi.json')).body;
    const schema = doc.paths['/mlservice/v2/predict'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['crim', 'rm', 'lstat', 'ptratio']));
    expect(schema.properties.rm.minimum).toBeTypeOf('number');
  });

  it('serves Swagger UI at /docs with its assets', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/docs/swagger-init.js">');
    const init = await fetch(`${server.url}/docs/swagger-init.js`);
    expect(init.headers.get('content-type')).toContain('javascript');
    expect(await init.text()).toContain("url: '/openapi.json'");
    const bundle = await fetch(`${server.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
  });

  it('describes every operation and tag', async () => {
    const doc = (await api.get('/openapi.json')).body;
    const undescribed = Object.entries(
      doc.paths as Record<string, Record<string, { description?: string; tags: string[] }>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !op.description)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(undescribed).toEqual([]);
    const tagNames = (doc.tags as { name: string; description: string }[]).map((t) => t.name);
    const used = new Set(
      Object.values(doc.paths as Record<string, Record<string, { tags: string[] }>>).flatMap((ops) =>
        Object.values(ops).flatMap((op) => op.tags),
      ),
    );
    expect([...used].filter((t) => !tagNames.includes(t))).toEqual([]);
  });

  it('an unknown path is a JSON 404', async () => {
    const res = await api.get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
