import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchPage } from './browser-page-problems.ts';
import { login, restClient, startTestServer, superuser, type TestServer } from '@mlapi/server/testing';

const chromiumPath = '/usr/bin/chromium';

describe.runIf(existsSync(chromiumPath))('Swagger UI in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
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
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('Authorize runs the OAuth2 password flow against /auth/token, then "Try it out" predicts, with no CSP violation', async () => {
    const page = await browser.newPage();
    const problems = await watchPage(page);
    const outside: string[] = [];
    page.on(
      'request',
      (r) => void (r.url().startsWith(server.url) || r.url().startsWith('data:') || outside.push(r.url())),
    );
    await page.goto(`${server.url}/docs`);
    await page.locator('.btn.authorize').first().click();
    await page.locator('#oauth_username').fill(superuser.username);
    await page.locator('#oauth_password').fill(superuser.password);
    const tokenReply = page.waitForResponse((r) => r.url().endsWith('/auth/token'));
    await page.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
    expect((await tokenReply).status()).toBe(200);
    await expect
      .poll(() => page.locator('.auth-btn-wrapper .btn.modal-btn.auth').first().textContent())
      .toMatch(/Logout/i);
    await page.locator('.auth-btn-wrapper .btn-done').first().click();

    const op = page.locator('.opblock-post', { has: page.locator('[data-path="/mlservice/v1/predict"]') });
    await op.locator('.opblock-summary').click();
    await op.locator('.try-out__btn').click();
    await op
      .locator('textarea.body-param__text')
      .fill(JSON.stringify({ text: 'Subject: WIN A FREE PRIZE\n\nClick here now to claim your free money!' }));
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

  it('Authorize takes an API key (X-API-Key), and "Try it out" predicts with it', async () => {
    const api = restClient(server.url);
    const token = await login(api, superuser.username, superuser.password);
    const { key } = (await api.post('/user/api-keys', { name: 'swagger', services: ['v1'] }, token)).body as {
      key: string;
    };
    const page = await browser.newPage();
    const problems = await watchPage(page);
    await page.goto(`${server.url}/docs`);
    await page.locator('.btn.authorize').first().click();
    const keyForm = page.locator('.modal-ux-content form', { hasText: 'ApiKeyHeader' });
    await keyForm.locator('input').fill(key);
    await keyForm.getByRole('button', { name: 'Apply credentials' }).click();
    await page.locator('.auth-btn-wrapper .btn-done').first().click();

    const op = page.locator('.opblock-post', { has: page.locator('[data-path="/mlservice/v1/predict"]') });
    await op.locator('.opblock-summary').click();
    await op.locator('.try-out__btn').click();
    const predictReply = page.waitForResponse((r) => r.url().endsWith('/mlservice/v1/predict'));
    await op.locator('.execute').click();
    const reply = await predictReply;
    // The example body in the document is a real mail, accepted as it is.
    expect(reply.status()).toBe(200);
    expect(reply.request().headers()['x-api-key']).toBe(key);
    expect(problems.csp).toEqual([]);
  });
});
