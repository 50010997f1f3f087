import { testDialects } from '@mlapi/db/testing';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@mlapi/server/testing';

const swaggerDir: string = createRequire(import.meta.url)('swagger-ui-dist/absolute-path.js')();

/** The directives a page's CSP must hold, whatever else it says. */
const requiredDirectives = [
  "default-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "connect-src 'self'",
];

const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

/** Hardening: /docs and /dashboard carry a CSP without inline script, refuse framing, and forbid sniffing. */
function expectPageHeaders(headers: Headers, what: string, inlineScripts: string[] = []) {
  const csp = headers.get('content-security-policy');
  expect(csp, what).toBeTruthy();
  for (const d of requiredDirectives) expect(csp, what).toContain(d);
  const scriptSrc = directives(csp!).get('script-src');
  expect(scriptSrc, what).toEqual(["'self'", ...inlineScripts]);
  expect(csp, what).not.toContain('unsafe-eval');
  expect(headers.get('x-frame-options'), what).toBe('DENY');
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
}

describe.each(testDialects)(
  'CSP, frame-ancestors, X-Frame-Options and nosniff on /docs and /dashboard on %s',
  (dialect) => {
    let server: TestServer;
    beforeAll(async () => void (server = await startTestServer(dialect)));
    afterAll(() => server?.stop());

    it('/docs: the page has no inline script, and it and its assets carry the page headers', async () => {
      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      expectPageHeaders(page.headers, '/docs');
      const html = await page.text();
      expect(html.match(/<script\b[^>]*>/g)).toEqual([
        '<script src="/docs/swagger-ui-bundle.js">',
        '<script src="/docs/swagger-ui-standalone-preset.js">',
        '<script src="/docs/swagger-init.js">',
      ]);
      expect(html).not.toMatch(/<script>[^<]/);

      const init = await fetch(`${server.url}/docs/swagger-init.js`);
      expect(init.status).toBe(200);
      expect(init.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expectPageHeaders(init.headers, 'swagger-init.js');
      const script = await init.text();
      expect(script).toContain('SwaggerUIBundle(');
      expect(script).toContain('validatorUrl: null');

      for (const asset of [
        'swagger-ui-bundle.js',
        'swagger-ui-standalone-preset.js',
        'swagger-ui.css',
        'oauth2-redirect.js',
      ]) {
        const res = await fetch(`${server.url}/docs/${asset}`);
        expect(res.status, asset).toBe(200);
        expectPageHeaders(res.headers, asset);
      }
    });

    it('/docs/oauth2-redirect.html: its CSP allows exactly the hashes of its own inline scripts', async () => {
      const res = await fetch(`${server.url}/docs/oauth2-redirect.html`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toBe(readFileSync(join(swaggerDir, 'oauth2-redirect.html'), 'utf8'));
      const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
        ([, body]) => `'sha256-${createHash('sha256').update(body!).digest('base64')}'`,
      );
      expectPageHeaders(res.headers, 'oauth2-redirect.html', hashes);
      // The scripts it loads by src are served, so the redirect works under script-src 'self'.
      for (const [, src] of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g))
        expect((await fetch(new URL(src!, res.url))).status, src).toBe(200);
    });

    it('/dashboard: index.html (also as an app route) and its hashed assets carry the page headers; no inline script', async () => {
      const index = await fetch(`${server.url}/dashboard`);
      expect(index.status, 'the dashboard is built (npm run build -w @mlapi/dashboard)').toBe(200);
      expectPageHeaders(index.headers, '/dashboard');
      const html = await index.text();
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc="\/dashboard\/assets\//);
      expectPageHeaders((await fetch(`${server.url}/dashboard/users`)).headers, 'app route');
      const assets = [...html.matchAll(/\/dashboard\/assets\/[\w.-]+\.(?:js|css)/g)].map(([path]) => path);
      expect(assets.length).toBeGreaterThanOrEqual(2);
      for (const asset of assets) {
        const res = await fetch(server.url + asset);
        expect(res.status, asset).toBe(200);
        expectPageHeaders(res.headers, asset);
        expect(res.headers.get('cache-control'), asset).toContain('immutable');
      }
      const missing = await fetch(`${server.url}/dashboard/assets/missing.js`);
      expect(missing.status).toBe(404);
      expectPageHeaders(missing.headers, 'a 404 under /dashboard');
    });
  },
);
