import { PredictionLog, rebuildRollups, ServiceCall, User } from '@mlapi/db';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  newUser,
  restClient,
  startTestServer,
  superuser,
  userWithRights,
  type RestClient,
  type TestServer,
} from '@mlapi/server/testing';
import { watchPage, type PageProblems } from './browser-page-problems.ts';
import { builtInV2Copy, house } from './fixtures.ts';

const chromiumPath = '/usr/bin/chromium';
/** Where the screenshots go, so a failure shows what the page looked like. */
export const screenshotDir = tmpdir();
const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const dayMs = 86_400_000;

/** The tRPC procedures one browser request carries (a batch names them comma-separated in its path). */
const procedures = (r: Request): string[] => {
  const { pathname } = new URL(r.url());
  return pathname.startsWith('/trpc/') ? decodeURIComponent(pathname.slice('/trpc/'.length)).split(',') : [];
};
const isMetrics = (path: string) => /^ml\.v[12]\.metrics$/.test(path);

/** Whether the page scrolls sideways as a whole (tables may scroll inside their own box). */
const pageScrollsSideways = (page: Page) =>
  page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);

const hamText =
  'Subject: Re: minutes\n\nHi Tom, thanks for the minutes of the planning meeting. Could we go over the budget on Thursday after lunch? Best, Anna';

describe.runIf(existsSync(chromiumPath))('the admin dashboard in a real browser', { timeout: 60_000 }, () => {
  let server: TestServer;
  let api: RestClient;
  let admin: string;
  let ada: Awaited<ReturnType<typeof userWithRights>>;
  let bea: Awaited<ReturnType<typeof userWithRights>>;
  let browser: Browser;
  let page: Page;
  /** Every request the page made, in order. */
  const requests: Request[] = [];
  let problems: PageProblems;

  /** Four calls of Ada's, three predictions of the admin's with feedback now, two v2 ones backdated 10 and 45 days. */
  async function seed() {
    const em = server.deps.db.fork();
    const owner = em.getReference(User, ada.id);
    for (const [i, success] of [true, true, true, false].entries()) {
      const at = new Date(Date.now() - (i + 1) * 6 * 3_600_000);
      em.create(ServiceCall, {
        serviceVersion: 'v1',
        success,
        error: success ? null : 'refused',
        owner,
        requestTime: at,
        completionTime: at,
        duration: 10 * (i + 1),
      });
    }
    await em.flush();
    for (const [rm, actual] of [
      [6, 21000],
      [7, 30000],
      [6.5, 25000],
      [5.5, 18000],
    ] as const) {
      const p = await api.post('/mlservice/v2/predict', { ...house, rm }, admin);
      expect(
        (await api.post('/mlservice/v2/feedback', { prediction_id: p.body.prediction_id, actual }, admin)).status,
      ).toBe(200);
      if (rm === 6.5)
        await em.nativeUpdate(
          PredictionLog,
          { id: p.body.prediction_id },
          { createdAt: new Date(Date.now() - 10 * dayMs) },
        );
      if (rm === 5.5)
        await em.nativeUpdate(
          PredictionLog,
          { id: p.body.prediction_id },
          { createdAt: new Date(Date.now() - 45 * dayMs) },
        );
    }
    const p1 = await api.post('/mlservice/v1/predict', { text: hamText }, admin);
    expect(
      (await api.post('/mlservice/v1/feedback', { prediction_id: p1.body.prediction_id, actual: 'ham' }, admin)).status,
    ).toBe(200);
    await rebuildRollups(server.deps.db); // rows written or backdated past the call log need their rollups
  }

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    api = restClient(server.url);
    admin = await login(api, superuser.username, superuser.password);
    ada = await userWithRights(api, admin, { is_active: true });
    bea = await userWithRights(api, admin); // registered: inactive, no rights
    browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(10_000);
    page.on('request', (r) => requests.push(r));
    problems = await watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shot = (name: string, p: Page = page) =>
    p.screenshot({ path: join(screenshotDir, `dashboard-${name}.png`), fullPage: true });

  /** Runs `action`, waits until the page settled, and returns the metrics calls it made (and in how many requests). */
  async function metricsCallsOf(action: () => Promise<unknown>, settled: () => Promise<unknown>) {
    const before = requests.length;
    await action();
    await settled();
    await page.waitForLoadState('networkidle');
    const made = requests.slice(before).filter((r) => procedures(r).some(isMetrics));
    return { calls: made.flatMap(procedures).filter(isMetrics), requests: made.length };
  }

  it('a new admin on an empty server: a wrong password is an error, then empty states, also on a phone', async () => {
    try {
      await page.goto(`${server.url}/dashboard`);
      await page.locator('#username').fill(superuser.username);
      await page.locator('#password').fill('wrong password');
      await page.locator('button[type=submit]').click();
      await expect.poll(() => page.locator('.error').textContent()).toMatch(/incorrect|invalid/i);
      await page.locator('#password').fill(superuser.password);
      const load = await metricsCallsOf(
        () => page.locator('button[type=submit]').click(),
        () => expect.poll(() => page.locator('#total-calls .stat-value').textContent(), { timeout: 15_000 }).toBe('0'),
      );
      // both services shown: one whole-window metrics call each, in one HTTP request
      expect(load.calls.sort()).toEqual(['ml.v1.metrics', 'ml.v2.metrics']);
      expect(load.requests).toBe(1);
      expect(await page.locator('#metrics-v1 .empty').textContent()).toBe('no feedback in this window');
      expect(await page.locator('#metrics-v2 .empty').textContent()).toBe('no feedback in this window');
      expect(await page.locator('#calls-per-day .empty').textContent()).toBe('no calls in this window');
      await shot('empty-wide');
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => pageScrollsSideways(page)).toBe(false);
      await shot('empty-narrow');
    } finally {
      await page.setViewportSize({ width: 1400, height: 1000 });
    }
  });

  it('shows the numbers and charts of the data, with ONE metrics request per load', async () => {
    await seed();
    try {
      const load = await metricsCallsOf(
        () => page.locator('button[name=refresh]').click(),
        () => expect.poll(() => page.locator('#total-calls .stat-value').textContent(), { timeout: 15_000 }).toBe('9'),
      );
      expect(load.calls.sort()).toEqual(['ml.v1.metrics', 'ml.v2.metrics']);
      expect(load.requests).toBe(1);

      // 4 calls inserted + 5 predictions = 9 calls, 8 successful
      expect(await page.locator('#success-rate .stat-value').textContent()).toBe('88.9 %');
      expect(await page.locator('#calls-per-day canvas').count()).toBeGreaterThan(0);
      expect(await page.locator('#heatmap td').count()).toBe(7 * 24);
      const busy = await page
        .locator('#heatmap td[data-count]:not([data-count="0"])')
        .evaluateAll((cells) => cells.reduce((s, c) => s + Number(c.getAttribute('data-count')), 0));
      expect(busy).toBe(9);
      expect(await page.locator('#top-users').textContent()).toContain(ada.username);

      // The whole last 30 days: the v2 feedback of 10 days ago counts, that of 45 days ago does not.
      expect(await page.locator('#model-metrics h3').allTextContents()).toEqual([
        expect.stringContaining('(1 feedback)'),
        expect.stringContaining('(3 feedback)'),
      ]);
      expect(await page.locator('#metrics-v1 [data-metric=accuracy] .stat-value').textContent()).toBe('1.000');
      expect(await page.locator('#metrics-v2 [data-metric=mae] .stat-value').textContent()).toMatch(/^\$[\d,]+$/);
      expect(await page.locator('#metrics-v2 [data-metric=r2] .stat-value').textContent()).toMatch(/^-?\d+\.\d{3}$/);
      expect(await page.locator('#model-metrics canvas').count()).toBe(0); // per-day charts wait until opened

      // Opening a per-day chart: its buckets in one request, the chart with its axes named.
      const opened = await metricsCallsOf(
        () => page.locator('#metrics-v2 details summary').click(),
        () => page.locator('#metrics-v2 .per-day canvas').first().waitFor(),
      );
      expect(opened.calls.every((c) => c === 'ml.v2.metrics')).toBe(true);
      expect(opened.calls.length).toBeLessThanOrEqual(31);
      expect(opened.requests).toBe(1);
      expect(await page.locator('#metrics-v2 .per-day h4').textContent()).toContain('per UTC day');
      expect(await page.locator('#metrics-v2 .per-day .chart').getAttribute('aria-label')).toBe(
        'MAE ($) and R² over time',
      );
      expect(await page.locator('#metrics-v2 .u-legend').textContent()).toMatch(/MAE.*R²/);
      await page.locator('#metrics-v1 details summary').click();
      await page.locator('#metrics-v1 .per-day canvas').first().waitFor();
    } finally {
      await shot('data-wide');
    }
  });

  it('the metrics follow the service filter and the whole window', async () => {
    const v1Only = await metricsCallsOf(
      () => page.locator('select[name=service]').selectOption('v1'),
      () => page.locator('#metrics-v1').waitFor(),
    );
    expect(v1Only.calls).toEqual(['ml.v1.metrics']);
    expect(v1Only.requests).toBe(1);
    expect(await page.locator('#metrics-v2').count()).toBe(0);

    const v2Quarter = await metricsCallsOf(
      async () => {
        await page.locator('select[name=service]').selectOption('v2');
        await page.locator('select[name=days]').selectOption('90');
      },
      () => expect.poll(() => page.locator('#metrics-v2 h3').textContent()).toContain('(4 feedback)'),
    );
    // two changes, two loads: one metrics call each, of v2 only
    expect(v2Quarter.calls).toEqual(['ml.v2.metrics', 'ml.v2.metrics']);
    expect(await page.locator('#metrics-v1').count()).toBe(0);
    const opened = await metricsCallsOf(
      () => page.locator('#metrics-v2 details summary').click(),
      () => page.locator('#metrics-v2 .per-day canvas').first().waitFor(),
    );
    expect(opened.calls.length).toBe(31); // 91 UTC days in buckets of 3
    expect(opened.requests).toBe(1);
    expect(await page.locator('#metrics-v2 .per-day h4').textContent()).toContain('per 3 UTC days');
    await shot('data-v2-90-days');

    await page.locator('select[name=days]').selectOption('7');
    await expect.poll(() => page.locator('#metrics-v2 h3').textContent()).toContain('(2 feedback)');
    await page.locator('select[name=service]').selectOption('');
    await page.locator('select[name=days]').selectOption('30');
    await page.locator('#metrics-v1').waitFor();
  });

  it('fits a phone: no sideways scrolling of the page, with the data', async () => {
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#metrics-v2 details summary').click();
      await page.locator('#metrics-v2 .per-day canvas').first().waitFor();
      await expect.poll(() => pageScrollsSideways(page)).toBe(false);
      const chartWidth = await page
        .locator('#metrics-v2 .per-day canvas')
        .first()
        .evaluate((c) => c.getBoundingClientRect().right);
      expect(chartWidth).toBeLessThanOrEqual(390);
      await shot('data-narrow');
    } finally {
      await page.setViewportSize({ width: 1400, height: 1000 });
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
      expect(await page.locator('#users-status').getAttribute('class')).toBe('notice success');
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

  it('a refused action is shown as an error, not in the success colour', async () => {
    const own = page.locator(`tr[data-username="${superuser.username}"] input[name=is_active]`);
    await own.click(); // not uncheck(): the refusal puts the tick back at once
    await expect
      .poll(() => page.locator('#users-status').textContent())
      .toBe(`${superuser.username}: an admin cannot deactivate themself`);
    expect(await page.locator('#users-status').getAttribute('class')).toBe('notice error');
    expect(await own.isChecked()).toBe(true); // the box shows the state the server kept
    const colours = await page.locator('#users-status').evaluate((el) => getComputedStyle(el).color);
    await page.locator(`tr[data-username="${ada.username}"] input[name=has_access_v2]`).check();
    await expect.poll(() => page.locator('#users-status').getAttribute('class')).toBe('notice success');
    expect(await page.locator('#users-status').evaluate((el) => getComputedStyle(el).color)).not.toBe(colours);
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
  });

  it("the Models panel shows a retrained version's evaluation gate", async () => {
    const started = await api.post('/admin/models/v2/retrain', { version: '8.1.0' }, admin);
    expect(started.status).toBe(202);
    await expect
      .poll(async () => (await api.get(`/admin/models/v2/retrain/${started.body.id}`, admin)).body.state, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe('succeeded');
    const gate = (await api.get('/admin/models/v2/versions', admin)).body.items.find((v: any) => v.version === '8.1.0')
      .evaluation.gate;
    await page.locator('button[name=refresh]').click();
    const cell = page.locator('#models [data-service=v2] tr[data-version="8.1.0"] td.gate');
    await expect.poll(() => cell.locator('.state').textContent()).toBe(gate.passed ? 'gate passed' : 'gate failed');
    expect(await cell.getAttribute('title')).toBe(gate.reasons.join('\n'));
    expect(await cell.textContent()).toContain(gate.reasons[0]);
    await shot('models-retrained');
  }, 90_000);

  it('the Models panel: what serves, a canary beside it with the comparison, stopped and promoted from the page', async () => {
    const v2 = page.locator('#models [data-service=v2]');
    const live = (await api.get('/admin/models/v2/versions', admin)).body.live as string;
    await expect
      .poll(() => v2.locator('h3').textContent())
      .toMatch(new RegExp(`^v2: ${live.replaceAll('.', '\\.')} live since `));
    // A candidate registered and tried as a 30 % canary (over the API), then seen on the page.
    expect((await api.post('/admin/models/v2/versions', { dir: builtInV2Copy('9.9.0') }, admin)).status).toBe(201);
    expect(
      (await api.put('/admin/models/v2/rollout', { version: '9.9.0', mode: 'canary', percent: 30 }, admin)).status,
    ).toBe(200);
    await page.locator('button[name=refresh]').click();
    await expect.poll(() => v2.locator('.rollout').textContent()).toContain('9.9.0 answers 30 % of users (canary)');
    expect(await v2.locator('.rollout table.compare th').allTextContents()).toEqual(
      expect.arrayContaining([`${live} (live)`, '9.9.0 (candidate)', 'calls', 'latency p99', 'MAE']),
    );
    expect(await v2.locator('tr[data-version="9.9.0"] .state').textContent()).toBe('canary');
    await shot('models-canary');

    page.once('dialog', (dialog) => void dialog.accept());
    await v2.locator('button[name=stop-rollout]').click();
    await expect.poll(() => page.locator('#models-status').textContent()).toBe('v2: the rollout of 9.9.0 stopped.');
    expect((await api.get('/admin/models/v2/versions', admin)).body.rollout).toBeNull();
    await expect.poll(() => v2.locator('.last-rollout').textContent()).toBe('Last rollout: 9.9.0 rolled back.');

    page.once('dialog', (dialog) => void dialog.accept());
    await v2.locator('tr[data-version="9.9.0"] button[name=promote]').click();
    await expect.poll(() => page.locator('#models-status').textContent()).toBe('v2: 9.9.0 is live.');
    expect((await api.get('/admin/models/v2/versions', admin)).body.live).toBe('9.9.0');
    await expect.poll(() => v2.locator('h3').textContent()).toMatch(/^v2: 9\.9\.0 live since /);

    // Declining the question does nothing; accepting the roll back returns to the version before.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await v2.locator('button[name=rollback]').click();
    expect((await api.get('/admin/models/v2/versions', admin)).body.live).toBe('9.9.0');
    page.once('dialog', (dialog) => void dialog.accept());
    await v2.locator('button[name=rollback]').click();
    await expect.poll(() => page.locator('#models-status').textContent()).toBe(`v2: 9.9.0 → ${live}.`);
    expect((await api.get('/admin/models/v2/versions', admin)).body.live).toBe(live);
    await shot('models');

    // The same candidate as a shadow: it predicts a call unanswered, and the comparison counts that apart.
    expect((await api.put('/admin/models/v2/rollout', { version: '9.9.0', mode: 'shadow' }, admin)).status).toBe(200);
    expect((await api.post('/mlservice/v2/predict', house, admin)).body.model_version).toBe(live);
    await expect.poll(async () => (await api.get('/admin/models/v2/compare', admin)).body.candidate.shadow).toBe(1);
    await page.locator('button[name=refresh]').click();
    await expect
      .poll(() => v2.locator('.rollout').textContent())
      .toContain('9.9.0 predicts every call unanswered (shadow)');
    expect(await v2.locator('tr[data-version="9.9.0"] .state').textContent()).toBe('shadow');
    expect(await v2.locator('.rollout table.compare th').allTextContents()).toContain('of which shadow');
    await shot('models-shadow');
    page.once('dialog', (dialog) => void dialog.accept());
    await v2.locator('button[name=stop-rollout]').click();
    await expect.poll(() => page.locator('#models-status').textContent()).toBe('v2: the rollout of 9.9.0 stopped.');
  });

  it('a token refused mid-session brings back the sign-in form with "session expired"', async () => {
    // A second admin signs in, in a tab of their own; then their password changes, which ends their tokens.
    const body = newUser();
    expect((await api.post('/admin/create', body, admin)).status).toBe(201);
    const token = await login(api, body.username, body.password);
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    tab.setDefaultTimeout(10_000);
    try {
      await tab.goto(`${server.url}/dashboard`);
      await tab.locator('#username').fill(body.username);
      await tab.locator('#password').fill(body.password);
      await tab.locator('button[type=submit]').click();
      await tab.locator('#users').waitFor();
      expect(
        (await api.put('/user/password', { password: body.password, new_password: 'another secret' }, token)).status,
      ).toBe(204);

      await tab.locator('button[name=refresh]').click();
      await expect.poll(() => tab.locator('form.login .error').textContent()).toContain('session expired');
      expect(await tab.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
      expect(await tab.locator('#username').inputValue()).toBe(body.username);
      await shot('session-expired', tab);

      // signed in again with the new password; an admin then deletes them: the next filter change ends it too
      await tab.locator('#password').fill('another secret');
      await tab.locator('button[type=submit]').click();
      await tab.locator('#users').waitFor();
      const me = (await api.get('/admin/users?limit=500', admin)).body.items.find(
        (u: { username: string }) => u.username === body.username,
      );
      expect((await api.delete(`/admin/users/${me.id}`, admin)).status).toBe(204);
      await tab.locator('select[name=days]').selectOption('7');
      await expect.poll(() => tab.locator('form.login .error').textContent()).toContain('session expired');
    } finally {
      await tab.close();
    }
  });

  it('under the CSP (script-src self, no inline script) nothing was blocked and nothing threw, in every step above', () => {
    expect(problems.csp).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });
});
