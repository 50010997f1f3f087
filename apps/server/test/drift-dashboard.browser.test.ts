import { loadBostonRows } from '@mlapi/ml/testing';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, superuser, type TestServer } from '@mlapi/server/testing';
import { watchPage, type PageProblems } from './browser-page-problems.ts';

const chromiumPath = '/usr/bin/chromium';
const launchArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

describe.runIf(existsSync(chromiumPath))('drift on the admin dashboard', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    const started = await signedInServer('sqlite');
    server = started.server;
    const shifted = loadBostonRows().map(({ cmedv: _target, ...x }) => ({ ...x, rm: Math.min(x.rm + 2, 9) }));
    expect((await started.api.post('/mlservice/v2/predict/batch', { items: shifted }, started.admin)).status).toBe(200);
    browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(10_000);
    problems = await watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows each feature’s status over the window, and its PSI per day when the chart is opened', async () => {
    await page.goto(`${server.url}/dashboard`);
    await page.locator('#username').fill(superuser.username);
    await page.locator('#password').fill(superuser.password);
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#drift-v2 h3').textContent(), { timeout: 15_000 }).toBe('v2 1.1.0: alert');
    expect(await page.locator('#drift-v2 tr[data-feature=rm]').getAttribute('data-status')).toBe('alert');
    expect(await page.locator('#drift-v2 tr[data-status=alert]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#drift-v2 tr[data-feature=lstat]').getAttribute('data-status')).toBe('ok');
    expect(await page.locator('#drift-v1 h3').textContent()).toBe('v1 1.2.0: ok');
    await page.locator('#drift-v2 details summary').click();
    await expect.poll(() => page.locator('#drift-v2 .per-day canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#drift-v2 .per-day h4').textContent()).toMatch(
      /^PSI per UTC day, model version 1\.1\.0$/,
    );
    await page.screenshot({ path: join(tmpdir(), 'dashboard-drift.png'), fullPage: true });
    expect(problems.csp).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.failedResponses.filter((r) => !r.endsWith('/favicon.ico'))).toEqual([]);
  });
});
