import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The Content-Security-Policy of the browser pages we serve (/docs and /dashboard): scripts, connections and
 * everything else from this origin only, no inline script (Swagger UI's initialiser is a served file), no plugins,
 * and no framing by any page (clickjacking). `extraScripts` adds the hashes of a page's own inline scripts.
 */
function contentSecurityPolicy(extraScripts: readonly string[] = []): string {
  return [
    "default-src 'self'",
    ['script-src', "'self'", ...extraScripts].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every /docs and /dashboard reply carries: the CSP, framing refused twice (old and new), no sniffing. */
export function pageSecurityHeaders(extraScripts: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(extraScripts),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
  };
}

const defaultHeaders = Object.entries(pageSecurityHeaders());

/** Sets the page security headers on a reply before it is written. */
export function setPageSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of defaultHeaders) res.setHeader(name, value);
}

/** CSP source expressions (`'sha256-…'`) for each inline `<script>` (one without `src`) of an HTML page. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, body] of html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi))
    hashes.push(`'sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}'`);
  return hashes;
}
