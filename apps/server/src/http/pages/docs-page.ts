import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { inlineScriptHashes, pageSecurityHeaders } from './page-security-headers.ts';

const require = createRequire(import.meta.url);
// absolute-path.js only: the package's main entry would load the whole 1 MB UI bundle into the server.
const assetsDir = (require('swagger-ui-dist/absolute-path.js') as () => string)();
const javascript = 'text/javascript; charset=utf-8';
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': javascript,
  'swagger-ui-standalone-preset.js': javascript,
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'oauth2-redirect.js': javascript,
  'favicon-32x32.png': 'image/png',
};

/** Swagger UI's start, as a served script (not inline), so the page's CSP needs no 'unsafe-inline'. */
const swaggerInitScript = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  validatorUrl: null,
  oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect.html',
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>mlapi — API docs</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css" />
  <link rel="icon" href="/docs/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/swagger-init.js"></script>
</body>
</html>`;

const pageHeaders = pageSecurityHeaders();
/** The OAuth2 redirect page's inline scripts (if this swagger-ui-dist has any), allowed by hash and no more. */
const redirectHeaders = pageSecurityHeaders(
  inlineScriptHashes(readFileSync(join(assetsDir, 'oauth2-redirect.html'), 'utf8')),
);

/**
 * Serves Swagger UI at /docs from the swagger-ui-dist package (to GET and HEAD: each reply has its length), every reply with the page security headers (CSP,
 * no framing, no sniffing); false when the path is not one of its files.
 */
export async function serveDocs(pathname: string, res: ServerResponse): Promise<boolean> {
  if (pathname === '/docs' || pathname === '/docs/') {
    res
      .writeHead(200, {
        ...pageHeaders,
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(page),
        'cache-control': 'no-cache',
      })
      .end(page);
    return true;
  }
  if (pathname === '/docs/swagger-init.js') {
    res
      .writeHead(200, {
        ...pageHeaders,
        'content-type': javascript,
        'content-length': Buffer.byteLength(swaggerInitScript),
        'cache-control': 'no-cache',
      })
      .end(swaggerInitScript);
    return true;
  }
  const name = pathname.slice('/docs/'.length);
  const type = assets[name];
  if (!pathname.startsWith('/docs/') || !type) return false;
  const headers = name === 'oauth2-redirect.html' ? redirectHeaders : pageHeaders;
  const file = await readFile(join(assetsDir, name));
  res
    .writeHead(200, {
      ...headers,
      'content-type': type,
      'content-length': file.length,
      'cache-control': 'public, max-age=86400',
    })
    .end(file);
  return true;
}
