import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchPage } from './browser-page-problems.ts';
import { startTestServer, type TestServer } from '@mlapi/server/testing';

const chromiumPath = '/usr/bin/chromium';

/** A page on another origin (its own port) that frames the given URLs, one iframe each, with ids f0, f1, … */
async function framingSite(urls: string[]): Promise<{ url: string; server: Server }> {
  const html = `<!doctype html><title>someone else's site</title>${urls.map((u, i) => `<iframe id="f${i}" src="${u}" width="600" height="300"></iframe>`).join('')}`;
  const server = createServer(
    (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/**
 * Hardening (clickjacking): a page of another origin that frames /dashboard or /docs gets nothing of them —
 * Chromium refuses the frame (frame-ancestors 'none', X-Frame-Options: DENY). A control frame of this server
 * that carries no such headers (/healthz) does load, so the test can tell a blocked frame from a loaded one.
 */
describe.runIf(existsSync(chromiumPath))(
  'framing /dashboard and /docs from another origin',
  { timeout: 60_000 },
  () => {
    let server: TestServer;
    let browser: Browser;
    let site: { url: string; server: Server };
    beforeAll(async () => {
      server = await startTestServer('sqlite');
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
      site = await framingSite([`${server.url}/dashboard`, `${server.url}/docs`, `${server.url}/healthz`]);
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((done) => site?.server.close(done));
      await server?.stop();
    });

    it('the browser refuses to show /dashboard and /docs in a frame of another origin; the control frame loads', async () => {
      expect(new URL(site.url).origin).not.toBe(new URL(server.url).origin);
      const page = await browser.newPage();
      const problems = await watchPage(page);
      await page.goto(site.url, { waitUntil: 'load' });
      const frame = async (id: string): Promise<Frame> => (await (await page.$(`#${id}`))!.contentFrame())!;

      const control = await frame('f2');
      await expect.poll(async () => (await control.locator('body').textContent()) ?? '').toContain('"status":"ok"');

      for (const [id, path] of [
        ['f0', '/dashboard'],
        ['f1', '/docs'],
      ] as const) {
        const framed = await frame(id);
        expect(framed.url(), path).not.toBe(`${server.url}${path}`);
        expect(await framed.locator('#app, #swagger-ui, #username').count(), path).toBe(0);
        expect(await framed.evaluate(() => document.title).catch(() => ''), path).not.toMatch(/mlapi/);
      }
      // Chromium says why: the frame-ancestors directive (its console notes name the CSP).
      await expect.poll(() => problems.csp.filter((m) => m.includes('frame-ancestors')).length).toBe(2);
    });

    it('/docs and /dashboard open normally at the top level (screenshots)', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems = await watchPage(page);
      await page.goto(`${server.url}/docs`);
      await page.locator('.btn.authorize').first().waitFor();
      await page.screenshot({ path: '/tmp/mlapi-docs-top.png' });
      await page.goto(`${server.url}/dashboard`);
      await page.locator('#username').waitFor();
      await page.screenshot({ path: '/tmp/mlapi-dashboard-signin.png' });
      expect(problems.csp).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
    });
  },
);
