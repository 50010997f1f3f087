import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restClient, signedInServer, userWithRights, type TestServer } from '@mlapi/server/testing';

const chromiumPath = '/usr/bin/chromium';

/** Another origin (its own port) serving an empty page, from which the test calls the API. */
async function site(): Promise<{ origin: string; server: Server }> {
  const server = createServer(
    (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>an app</title>'),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * CORS as a browser applies it: a page of an origin in CORS_ORIGINS calls the API with a bearer token and JSON
 * (so Chromium sends a preflight first) and reads the reply; the same call from a page of another origin is
 * blocked by the browser.
 */
describe.runIf(existsSync(chromiumPath))('CORS in a real browser', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let allowed: Awaited<ReturnType<typeof site>>;
  let other: Awaited<ReturnType<typeof site>>;
  let token: string;
  beforeAll(async () => {
    [allowed, other] = await Promise.all([site(), site()]);
    let admin: string;
    ({ server, admin } = await signedInServer('sqlite', { CORS_ORIGINS: allowed.origin }));
    token = (await userWithRights(restClient(server.url), admin, { is_active: true, has_access_v1: true })).token;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of [allowed, other]) if (s) await new Promise((done) => s.server.close(done));
    await server?.stop();
  });

  /** Runs a prediction call in a page of `origin`; the reply's status and body, or the browser's error. */
  async function predictFrom(origin: string) {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const result = await page.evaluate(
      async ({ api, token }) => {
        try {
          const res = await fetch(`${api}/mlservice/v1/predict`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ text: 'win a free prize now' }),
          });
          return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') };
        } catch (err) {
          return { error: String(err) };
        }
      },
      { api: server.url, token },
    );
    await page.close();
    return result;
  }

  it('a page of an allowed origin calls the API and reads the reply (and an exposed header)', async () => {
    expect(allowed.origin).not.toBe(new URL(server.url).origin);
    const result = await predictFrom(allowed.origin);
    expect(result).toMatchObject({
      status: 200,
      body: { category: expect.any(String), prediction_id: expect.any(Number) },
    });
    expect((result as { requestId: string }).requestId).toMatch(/./);
  });

  it('a page of another origin is blocked by the browser: its call is never sent', async () => {
    const calls = async () => (await restClient(server.url).get('/user/history', token)).body.total as number;
    const before = await calls();
    const result = await predictFrom(other.origin);
    expect(result).toEqual({ error: expect.stringMatching(/TypeError: Failed to fetch/) });
    // The preflight got no CORS headers, so the prediction itself never reached the server.
    expect(await calls()).toBe(before);
  });
});
