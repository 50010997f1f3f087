import type { Page } from 'playwright-core';

/** What went wrong on a page, as the browser saw it. */
export interface PageProblems {
  /** Content-Security-Policy violations: `securitypolicyviolation` events, and console lines that name the CSP. */
  csp: string[];
  /** Console messages of type error. */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Replies of status 400 or more, as `STATUS PATH`. */
  failedResponses: string[];
}

/**
 * Watches a page (and every document it loads later) for CSP violations, console errors and uncaught exceptions.
 * Call before the first `goto`.
 */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { csp: [], consoleErrors: [], pageErrors: [], failedResponses: [] };
  await page.exposeFunction('__reportCspViolation', (text: string) => void problems.csp.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation;
      void report(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (message) => {
    const text = message.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) problems.csp.push(text);
    if (message.type() === 'error') problems.consoleErrors.push(text);
  });
  page.on(
    'response',
    (r) => void (r.status() >= 400 && problems.failedResponses.push(`${r.status()} ${new URL(r.url()).pathname}`)),
  );
  page.on('pageerror', (error) => void problems.pageErrors.push(String(error)));
  return problems;
}
