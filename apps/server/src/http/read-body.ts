import type { IncomingMessage } from 'node:http';
import { TRPCError } from '@trpc/server';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { clientClosedRequest } from './client-closed.ts';

/**
 * Reads a request body, refusing (413, limit named) as soon as it passes `limit` bytes; the rest is then discarded
 * unread while the 413 goes out (as tRPC's adapter does; `requestTimeout` bounds it). Plain stream events rather
 * than `for await`, which costs several promises per chunk on the hot path. A client that hangs up before the body
 * ends (the stream's 'error' — "aborted" — or its 'close') rejects with CLIENT_CLOSED_REQUEST (client-closed.ts).
 */
export function readBody(req: IncomingMessage, limit: number, setting = 'MAX_BODY_BYTES'): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit, setting));
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      settle(tooLarge(limit, setting));
      req.resume();
    };
    const onEnd = () => settle();
    const onError = (cause: unknown) => settle(clientClosedRequest(cause));
    const onClose = () => settle(clientClosedRequest());
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

const syntaxWords: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name (in double quotes) expected',
  ValueExpected: 'a value expected',
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: 'nothing more expected',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'comments are not JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control character in a string',
};

/**
 * Where a body that JSON.parse refused goes wrong, and how: the first syntax error a strict JSON scanner finds
 * (JSON.parse's own message names no position on Node 20, and quotes the body).
 */
function describeSyntaxError(text: string): { position: number; what: string } {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return { position: text.length, what: 'not valid JSON' };
  return { position: first.offset, what: syntaxWords[printParseErrorCode(first.error)] ?? 'not valid JSON' };
}

/** The cause of a 400 for a body that is not JSON: where the parser stopped, for the reply's `position`. */
export class MalformedJson extends Error {
  constructor(readonly position: number) {
    super(`malformed JSON at position ${position}`);
  }
}

const tooLarge = (limit: number, setting: string) =>
  new TRPCError({
    code: 'PAYLOAD_TOO_LARGE',
    message: `request body is larger than the limit of ${limit} bytes (${setting})`,
  });

/**
 * Parses a REST body by its content type: JSON, or the OAuth2 form (`application/x-www-form-urlencoded`) that
 * `POST /auth/token` takes. Anything else is a 415; malformed JSON a 400.
 */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) return undefined;
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (type === 'application/json' || type === '' || type.endsWith('+json')) {
    const text = raw.toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      const { position, what } = describeSyntaxError(text);
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `request body is not valid JSON: ${what} at position ${position}`,
        cause: new MalformedJson(position),
      });
    }
  }
  throw new TRPCError({
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: `unsupported content-type "${type}": send application/json`,
  });
}
