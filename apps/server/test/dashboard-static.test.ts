import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDashboard } from '../src/http/pages/dashboard-static.ts';
import { startTestServer, type TestServer } from '@mlapi/server/testing';

/** A server that serves /dashboard from a folder of our own (raw paths: no URL normalisation on the way). */
async function serveFrom(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => void serveDashboard(req.url ?? '/', res, req.method ?? 'GET', root));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('the dashboard static files', () => {
  const built = mkdtempSync(join(tmpdir(), 'mlapi-dash-'));
  mkdirSync(join(built, 'assets'));
  writeFileSync(join(built, 'index.html'), '<!doctype html><main id="app"></main>');
  writeFileSync(join(built, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'mlapi-dash-secret.txt'), 'secret');
  let site: { url: string; server: Server };
  let empty: { url: string; server: Server };
  let real: TestServer;
  beforeAll(async () => {
    site = await serveFrom(built);
    empty = await serveFrom(mkdtempSync(join(tmpdir(), 'mlapi-dash-empty-')));
    real = await startTestServer('sqlite');
  });
  afterAll(async () => {
    site?.server.close();
    empty?.server.close();
    await real?.stop();
  });

  it('serves files with their content type; hashed assets are cached, index.html is not', async () => {
    const js = await fetch(`${site.url}/dashboard/assets/app-1234.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const index = await fetch(`${site.url}/dashboard`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('id="app"');
  });

  it('answers index.html for app routes (SPA fallback) but 404 for a missing file', async () => {
    expect(await (await fetch(`${site.url}/dashboard/users/7`)).text()).toContain('id="app"');
    expect((await fetch(`${site.url}/dashboard/assets/missing.js`)).status).toBe(404);
  });

  it.each([
    '/dashboard/../mlapi-dash-secret.txt',
    '/dashboard/..%2fmlapi-dash-secret.txt',
    '/dashboard/%2e%2e/mlapi-dash-secret.txt',
    '/dashboard/assets/..%2f..%2f..%2fmlapi-dash-secret.txt',
  ])('never serves a file outside dist: %s', async (path) => {
    const res = await fetch(site.url + path);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('secret');
  });

  it('says how to build it when it is not built (503)', async () => {
    const res = await fetch(`${empty.url}/dashboard`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('dashboard not built: run npm run build');
  });

  it('the server serves the built dashboard at /dashboard, its scripts included', async () => {
    const html = await (await fetch(`${real.url}/dashboard/`)).text();
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(real.url + script);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
  });
});
