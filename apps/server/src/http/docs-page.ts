import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);
// absolute-path.js only: the package's main entry would load the whole 1 MB UI bundle into the server.
const assetsDir: string = require('swagger-ui-dist/absolute-path.js')();
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

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
  <script>
    window.ui = SwaggerUIBundle({
      url: '/openapi.json',
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect.html',
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>`;

/** Serves Swagger UI at /docs from the swagger-ui-dist package; false when the path is not one of its files. */
export async function serveDocs(pathname: string, res: ServerResponse): Promise<boolean> {
  if (pathname === '/docs' || pathname === '/docs/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return true;
  }
  const name = pathname.slice('/docs/'.length);
  const type = assets[name];
  if (!pathname.startsWith('/docs/') || !type) return false;
  res.writeHead(200, { 'content-type': type, 'cache-control': 'public, max-age=86400' }).end(await readFile(join(assetsDir, name)));
  return true;
}
