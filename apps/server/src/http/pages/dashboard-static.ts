import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { dirname, extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setPageSecurityHeaders } from './page-security-headers.ts';

/** apps/dashboard/dist, built by `npm run build` (turbo builds it before the server's tests and `npm start`). */
const dashboardDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../dashboard/dist');

const dashboardPrefix = '/dashboard';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export const isDashboardPath = (pathname: string) =>
  pathname === dashboardPrefix || pathname.startsWith(`${dashboardPrefix}/`);

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    .end(text);
}

/**
 * Serves the built dashboard under /dashboard: files from dist with their content type (hashed assets cached for a
 * year, index.html never), index.html for any other path without a file extension (the single-page app's
 * routes), 404 for a missing file, and nothing outside dist (`..`, encoded or not, is refused). When the
 * dashboard has not been built, a 503 says how to build it. Every reply carries the page security headers (CSP,
 * no framing, no sniffing).
 */
export async function serveDashboard(
  pathname: string,
  res: ServerResponse,
  method: string,
  root = dashboardDist,
): Promise<void> {
  setPageSecurityHeaders(res);
  const index = resolve(root, 'index.html');
  if (!(await isFile(index)))
    return sendText(res, 503, 'dashboard not built: run npm run build (or npm run build -w @mlapi/dashboard)\n');
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(dashboardPrefix.length));
  } catch {
    return sendText(res, 400, 'bad path\n');
  }
  const target = resolve(root, `.${relative.startsWith('/') ? relative : `/${relative}`}`);
  if (relative.includes('\0') || (target !== root && !target.startsWith(root + sep)))
    return sendText(res, 404, 'not found\n');
  let file = target;
  if (!(await isFile(file))) {
    if (extname(target) !== '') return sendText(res, 404, 'not found\n');
    file = index;
  }
  const immutable = file.startsWith(resolve(root, 'assets') + sep);
  const { size } = await stat(file);
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
