import { createClient } from '@hey-api/openapi-ts';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { house } from './fixtures.ts';
import { newUser, startTestServer, superuser, type TestServer } from '@mlapi/server/testing';

/**
 * The served /openapi.json as third parties use it: a spec linter's recommended rules, and a TypeScript client
 * generated from it that runs the original template's flow (form login, grants, predictions, feedback, history).
 */

/** Generated here, inside the repo, so its files resolve their own imports; ignored by git and by tsc (dot folder). */
const generatedDir = join(import.meta.dirname, '.generated-client');

/** The lint's verdict as readable lines: `severity rule message at pointer`. */
const describeProblem = (p: { severity: string; ruleId: string; message: string; location: { pointer?: string }[] }) =>
  `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`;

describe('the served OpenAPI document, through third-party tools', () => {
  let server: TestServer;
  let documentText: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    documentText = await res.text();
  });
  afterAll(async () => {
    rmSync(generatedDir, { recursive: true, force: true });
    await server?.stop();
  });

  it("passes the spec linter's recommended rules without an error", async () => {
    const config = await createConfig({
      extends: ['recommended'],
      rules: {
        // The health checks take no input and no credentials: 200 or 503 is all they can answer.
        'operation-4xx-response': 'off',
        // The project declares no license, so the document cannot name one.
        'info-license': 'off',
      },
    });
    const problems = await lintFromString({ source: documentText, absoluteRef: `${server.url}/openapi.json`, config });
    expect(
      problems.filter((p) => p.severity === 'error'),
      `problems:\n${problems.map(describeProblem).join('\n')}`,
    ).toEqual([]);
  });

  it("a client generated from it runs the template's flow, and its error value carries the 422's issues", async () => {
    await createClient({
      input: `${server.url}/openapi.json`,
      output: { path: generatedDir, clean: true },
      plugins: ['@hey-api/client-fetch', '@hey-api/sdk'],
      logs: { level: 'silent', file: false },
    });
    // Loaded by path, so tsc never needs the (ignored, generated) files; vitest compiles them.
    const sdk = await import(pathToFileURL(join(generatedDir, 'index.ts')).href);
    const { client } = await import(pathToFileURL(join(generatedDir, 'client.gen.ts')).href);
    const { urlSearchParamsBodySerializer } = await import(
      pathToFileURL(join(generatedDir, 'client', 'index.ts')).href
    );
    client.setConfig({ baseUrl: server.url });
    const sent: string[] = [];
    client.interceptors.request.use(async (request: Request) => {
      sent.push(
        `${request.method} ${new URL(request.url).pathname} ${request.headers.get('content-type')} ${await request.clone().text()}`,
      );
      return request;
    });
    // A protected route lists the bearer scheme and the API key: a plain token string would go into both headers.
    const bearer = (token: string) => (scheme: { type: string }) => (scheme.type === 'http' ? token : undefined);

    // The seed's curl: the OAuth2 password form. The generator picks JSON when a body offers JSON too, so the
    // form is asked for per call (the same operation, its own body serializer and content type).
    const adminLogin = await sdk.authToken({
      body: {
        grant_type: '',
        username: superuser.username,
        password: superuser.password,
        scope: '',
        client_id: '',
        client_secret: '',
      },
      ...urlSearchParamsBodySerializer,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(adminLogin.response.status, JSON.stringify(adminLogin.error)).toBe(200);
    expect(sent[0]).toBe(
      'POST /auth/token application/x-www-form-urlencoded grant_type=&username=superuser%40example.com&password=8888&scope=&client_id=&client_secret=',
    );
    expect(adminLogin.data).toMatchObject({ token_type: 'bearer', access_token: expect.any(String) });
    const admin = bearer(adminLogin.data.access_token);

    const registration = newUser({ password: 'a long enough password' });
    const created = await sdk.authRegister({ body: registration });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    expect(created.data).toMatchObject({
      username: registration.username,
      is_active: false,
      has_access_v1: false,
      has_access_v2: false,
    });

    const granted = await sdk.adminUpdate({
      auth: admin,
      path: { user_id: created.data.id },
      body: { is_active: true, has_access_v1: true, has_access_v2: true },
    });
    expect(granted.response.status, JSON.stringify(granted.error)).toBe(204);

    // The user signs in with the generated default (the JSON body).
    const userLogin = await sdk.authToken({
      body: { username: registration.username, password: registration.password },
    });
    expect(userLogin.response.status, JSON.stringify(userLogin.error)).toBe(200);
    const user = bearer(userLogin.data.access_token);

    const me = await sdk.userMe({ auth: user });
    expect(me.data).toMatchObject({ id: created.data.id, is_active: true, has_access_v1: true, has_access_v2: true });

    const mail =
      'Subject: WIN a FREE prize now!!!\n\nClaim your free cash prize, click here now, limited offer, act now!';
    const v1 = await sdk.mlV1Predict({ auth: user, body: { text: mail } });
    expect(v1.response.status, JSON.stringify(v1.error)).toBe(200);
    expect(v1.data).toEqual({
      category: expect.stringMatching(/^(spam|ham)$/),
      probability: expect.any(Number),
      prediction_id: expect.any(Number),
      model_version: expect.any(String),
    });
    expect(v1.data.category).toBe(v1.data.probability >= 0.5 ? 'spam' : 'ham');

    const v2 = await sdk.mlV2Predict({ auth: user, body: house });
    expect(v2.response.status, JSON.stringify(v2.error)).toBe(200);
    expect(v2.data).toEqual({
      price: expect.any(Number),
      prediction_id: expect.any(Number),
      model_version: expect.any(String),
    });
    expect(v2.data.price).toBeGreaterThan(5_000);
    expect(v2.data.price).toBeLessThanOrEqual(60_000);

    const feedback = await sdk.mlV1Feedback({
      auth: user,
      body: { prediction_id: v1.data.prediction_id, actual: 'spam' },
    });
    expect(feedback.response.status, JSON.stringify(feedback.error)).toBe(200);
    expect(feedback.data).toMatchObject({
      prediction_id: v1.data.prediction_id,
      actual: 'spam',
      feedback_time: expect.any(String),
    });

    const history = await sdk.userHistory({ auth: user });
    expect(history.response.status, JSON.stringify(history.error)).toBe(200);
    expect(history.data.total).toBe(2);
    expect(
      history.data.items
        .map((c: { service_version: string; success: boolean; owner_id: number }) => [
          c.service_version,
          c.success,
          c.owner_id,
        ])
        .sort(),
    ).toEqual([
      ['v1', true, created.data.id],
      ['v2', true, created.data.id],
    ]);
    expect(history.data.items.map((c: { model_version: string }) => c.model_version).sort()).toEqual(
      [v1.data.model_version, v2.data.model_version].sort(),
    );

    // One error, as the generated client hands it back: no throw, `error` is the 422 reply with its issues.
    const invalid = await sdk.mlV2Predict({ auth: user, body: { ...house, rm: 'six' } });
    expect(invalid.response.status).toBe(422);
    expect(invalid.data).toBeUndefined();
    expect(invalid.error).toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      issues: [expect.objectContaining({ path: ['rm'] })],
    });
  });
});
