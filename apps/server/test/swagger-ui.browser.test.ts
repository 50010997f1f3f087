import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchPage } from './browser-page-problems.ts';
import { startTestServer, superuser, type TestServer } from './harness.ts';

const chromiumPath = '/usr/bin/chromium';

describe.runIf(existsSync(chromiumPath))('Swagger UI in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('Authorize runs the OAuth2 password flow against /auth/token, then "Try it out" predicts, with no CSP violation', async () => {
    const page = await browser.newPage();
    const problems = await watchPage(page);
    const outside: string[] = [];
    page.on('request', (r) => void (r.url().startsWith(server.url) || r.url().startsWith('data:') || outside.push(r.url())));
    await page.goto(`${server.url}/docs`);
    await page.locator('.btn.authorize').first().click();
    await page.locator('#oauth_username').fill(superuser.username);
    await page.locator('#oauth_password').fill(superuser.password);
    const tokenReply = page.waitForResponse((r) => r.url().endsWith('/auth/token'));
    await page.locator('.auth-btn-wrapper .btn.modal-btn.auth.authorize').click();
    expect((await tokenReply).status()).toBe(200);
    await expect.poll(() => page.locator('.auth-btn-wrapper .btn.modal-btn.auth').first().textContent()).toMatch(/Logout/i);
    await page.locator('.auth-btn-wrapper .btn-done').click();

    const op = page.locator('.opblock-post', { has: page.locator('[data-path="/mlservice/v1/predict"]') });
    await op.locator('.opblock-summary').click();
    await op.locator('.try-out__btn').click();
    await op.locator('textarea.body-param__text').fill(JSON.stringify({ text: 'Subject: WIN A FREE PRIZE\n\nClick here now to claim your free money!' }));
    const predictReply = page.waitForResponse((r) => r.url().endsWith('/mlservice/v1/predict'));
    await op.locator('.execute').click();
    const reply = await predictReply;
    expect(reply.status()).toBe(200);
    expect(reply.request().headers().authorization).toMatch(/^Bearer ey/);
    expect(await reply.json()).toMatchObject({ category: 'spam', prediction_id: expect.any(Number) });
    await page.screenshot({ path: '/tmp/mlapi-swagger.png', fullPage: false });
    // Under the page's CSP (script-src 'self', no inline script) everything ran: no violation, no error, and
    // nothing was fetched from another origin (validatorUrl: null).
    expect(problems).toEqual({ csp: [], consoleErrors: [], pageErrors: [], failedResponses: [] });
    expect(outside).toEqual([]);
  });
});
