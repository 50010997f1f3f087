import type { IncomingMessage } from 'node:http';
import { TRPCError } from '@trpc/server';

/** Reads a request body, refusing (413, limit named) as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (limit: number) =>
  new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: `request body is larger than the limit of ${limit} bytes (MAX_BODY_BYTES)` });

/**
 * Parses a REST body by its content type: JSON, or the OAuth2 form (`application/x-www-form-urlencoded`) that
 * `POST /auth/token` takes. Anything else is a 415; malformed JSON a 400.
 */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) return undefined;
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (type === 'application/json' || type === '' || type.endsWith('+json')) {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'request body is not valid JSON' });
    }
  }
  throw new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: `unsupported content-type "${type}": send application/json` });
}
