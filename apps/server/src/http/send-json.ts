import type { ServerResponse } from 'node:http';
import { apiReplyHeaders } from './api-reply-headers.ts';

/** Every JSON reply of the API outside /trpc, success or error: JSON (or an empty 204), never cached. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204) {
    res.writeHead(204, { ...apiReplyHeaders, ...headers }).end();
    return;
  }
  const json = JSON.stringify(body);
  res
    .writeHead(status, {
      ...apiReplyHeaders,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
      ...headers,
    })
    .end(json);
}
