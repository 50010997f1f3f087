import { ServiceCall, User } from '@mlapi/db';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, restClient, startTestServer, superuser, userWithRights, type RestClient, type TestServer } from './harness.ts';
import { watchPage, type PageProblems } from './browser-page-problems.ts';
import { house } from './fixtures.ts';

const chromiumPath = '/usr/bin/chromium';
/** Where the screenshots go, so a failure shows what the page looked like. */
export const screenshotDir = tmpdir();
const hamText = 'Subject: Re: minutes\n\nHi Tom, thanks for the minutes of the planning meeting. Could we go over the budget on Thursday after lunch? Best, Anna';

describe.runIf(existsSync(chromiumPath))('the admin dashboard in a real browser', { timeout: 60_000 }, () => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  let ada: Awaited<ReturnType<typeof userWithRights>>;
  let bea: Awaited<ReturnType<typeof userWithRights>>;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    api = restClient(server.url);
    admin = await login(api, superuser.username, superuser.password);
    ada = await userWithRights(api, admin, { is_active: true });
    bea = await userWithRights(api, admin); // registered: inactive, no rights
    // Four calls of Ada's in the last days (one refused) …
    const em = server.deps.db.fork();
    const owner = em.getReference(User, ada.id);
    for (const [i, success] of [true, true, true, false].entries()) {
      const at = new Date(Date.now() - (i + 1) * 6 * 3_600_000);
      em.create(ServiceCall, { serviceVersion: 'v1', success, error: success ? null : 'refused', owner, requestTime: at, completionTime: at, duration: 10 * (i + 1) });
    }
    await em.flush();
    // … and three real predictions of the admin's with feedback, for the model metrics.
    for (const [rm, actual] of [[6, 21000], [7, 30000]] as const) {
      const p = await api.post('/mlservice/v2/predict', { ...house, rm }, admin);
      expect((await api.post('/mlservice/v2/feedback', { prediction_id: p.body.prediction_id, actual }, admin)).status).toBe(200);
    }
    const p1 = await api.post('/mlservice/v1/predict', { text: hamText }, admin);
    expect((await api.post('/mlservice/v1/feedback', { prediction_id: p1.body.prediction_id, actual: 'ham' }, admin)).status).toBe(200);

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(10_000);
    problems = await watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `mlapi-dashboard-${name}.png`), fullPage: true });

  it('signs in with the same login as POST /auth/token and shows the charts with the data', async () => {
    try {
      await page.goto(`${server.url}/dashboard`);
      await page.locator('#username').fill(superuser.username);
      await page.locator('#password').fill('wrong password');
      await page.locator('button[type=submit]').click();
      await expect.poll(() => page.locator('.error').textContent()).toMatch(/incorrect|invalid/i);
      await page.locator('#password').fill(superuser.password);
      await page.locator('button[type=submit]').click();

      // 4 calls inserted + 3 predictions = 7 calls, 6 successful
      await expect.poll(() => page.locator('#total-calls .stat-value').textContent(), { timeout: 15_000 }).toBe('7');
      expect(await page.locator('#success-rate .stat-value').textContent()).toBe('85.7 %');
      expect(await page.locator('#calls-per-day canvas').count()).toBeGreaterThan(0);
      expect(await page.locator('#model-metrics canvas').count()).toBe(2);
      expect(await page.locator('#heatmap td').count()).toBe(7 * 24);
      const busy = await page.locator('#heatmap td[data-count]:not([data-count="0"])').evaluateAll((cells) => cells.reduce((s, c) => s + Number(c.getAttribute('data-count')), 0));
      expect(busy).toBe(7);
      expect(await page.locator('#top-users').textContent()).toContain(ada.username);
      expect(await page.locator('#model-metrics h3').allTextContents()).toEqual([expect.stringContaining('(1 feedback)'), expect.stringContaining('(2 feedback)')]);
      // Under the page's CSP (script-src 'self', no inline script) nothing was blocked and nothing threw; the one
      // console errors are the browser's own notes on failed loads: the deliberately refused login (401) and the
      // browser's own request for a favicon the dashboard does not have (404; not a request of the page's).
      expect(problems.csp).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.failedResponses).toEqual(['401 /trpc/auth.token']);
      expect(problems.consoleErrors.sort()).toEqual([expect.stringMatching(/status of 401/), expect.stringMatching(/status of 404/)]);
    } finally {
      await shot('charts');
    }
  });

  it('grants a right in the users table, and the API then allows the call', async () => {
    try {
      expect((await api.post('/mlservice/v1/predict', { text: hamText }, ada.token)).status).toBe(403);
      const row = page.locator(`tr[data-username="${ada.username}"]`);
      const v1 = row.locator('input[name=has_access_v1]');
      expect(await v1.isChecked()).toBe(false);
      await v1.check();
      await expect.poll(() => page.locator('#users-status').textContent()).toBe(`${ada.username}: v1 granted.`);
      const allowed = await api.post('/mlservice/v1/predict', { text: hamText }, ada.token);
      expect(allowed.status).toBe(200);
      expect(allowed.body.category).toBe('ham');
      // and back: revoked from the table, refused again
      await v1.uncheck();
      await expect.poll(() => page.locator('#users-status').textContent()).toBe(`${ada.username}: v1 revoked.`);
      expect((await api.post('/mlservice/v1/predict', { text: hamText }, ada.token)).status).toBe(403);
    } finally {
      await shot('users');
    }
  });

  it('activates and deletes a user from the users table', async () => {
    const row = page.locator(`tr[data-username="${bea.username}"]`);
    await row.locator('input[name=is_active]').check();
    await expect.poll(() => page.locator('#users-status').textContent()).toBe(`${bea.username}: active granted.`);
    expect((await api.get(`/admin/users/${bea.id}`, admin)).body.is_active).toBe(true);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button.danger').click();
    await expect.poll(() => page.locator('#users-status').textContent()).toBe(`${bea.username} deleted.`);
    await expect.poll(() => row.count()).toBe(0);
    expect((await api.get(`/admin/users/${bea.id}`, admin)).status).toBe(404);
    expect(problems.csp).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });
});
