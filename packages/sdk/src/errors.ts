import { TRPCClientError } from '@trpc/client';
import type { FieldIssue } from '@mlapi/schemas';
import type { AppRouter } from '@mlapi/server';

/**
 * The tRPC error codes the server uses, plus `NETWORK_ERROR` (the server could not be reached) and
 * `BAD_RESPONSE` (something answered, but not with a tRPC reply: a proxy error page, a wrong URL).
 */
export type MlapiErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK_ERROR'
  | 'BAD_RESPONSE'
  | (string & {});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const networkWords: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

/** Why a `fetch` failed: the system error code in its causes (Node's undici puts ECONNREFUSED there), else the innermost message. */
function networkReason(err: unknown): string {
  let message = 'network error';
  let e: unknown = err;
  for (let depth = 0; isRecord(e) && depth < 6; depth++) {
    const code = e['code'];
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return networkWords[code] ?? code;
    if (typeof e['message'] === 'string' && e['message']) message = e['message'];
    // An AggregateError (several addresses tried) holds its reasons in `errors`.
    e = Array.isArray(e['errors']) && e['errors'].length > 0 ? e['errors'][0] : e['cause'];
  }
  return message;
}

/**
 * What every call of an mlapi client throws. It is a `TRPCClientError` too (so tRPC tooling keeps working), with
 * the fields a caller usually needs flattened: `code`, HTTP `status` (0 when the server was not reached), the
 * server's `message`, and `issues` naming each failing input field (empty unless the input was invalid).
 */
export class MlapiError extends TRPCClientError<AppRouter> {
  readonly code: MlapiErrorCode;
  readonly status: number;
  readonly issues: FieldIssue[];
  /** The server URL the client was talking to. */
  readonly url: string;
  /** The procedure path, e.g. `ml.v1.predict`, when known. */
  readonly path: string | undefined;

  constructor(
    message: string,
    init: {
      code: MlapiErrorCode;
      status: number;
      url: string;
      issues?: FieldIssue[];
      path?: string;
      from?: TRPCClientError<AppRouter>;
    },
  ) {
    super(message, {
      cause: init.from?.cause instanceof Error ? init.from.cause : undefined,
      meta: init.from?.meta,
      result: init.from?.shape ? { error: init.from.shape } : undefined,
    });
    // TRPCClientError resets the prototype to its own; restore ours so `instanceof MlapiError` holds.
    Object.setPrototypeOf(this, MlapiError.prototype);
    this.name = 'MlapiError';
    this.code = init.code;
    this.status = init.status;
    this.url = init.url;
    this.issues = init.issues ?? [];
    this.path = init.path;
  }

  /** Turns whatever a tRPC call failed with into an MlapiError (an MlapiError is returned as it is). */
  static fromUnknown(err: unknown, url: string, path?: string): MlapiError {
    if (err instanceof MlapiError) return err;
    const client =
      err instanceof TRPCClientError
        ? (err as TRPCClientError<AppRouter>)
        : TRPCClientError.from<AppRouter>(err as Error);
    const data: unknown = client.data;
    if (isRecord(data) && typeof data['code'] === 'string') {
      const issues = Array.isArray(data['issues']) ? (data['issues'] as FieldIssue[]) : [];
      const status = typeof data['httpStatus'] === 'number' ? data['httpStatus'] : 500;
      const p = typeof data['path'] === 'string' ? data['path'] : path;
      return new MlapiError(client.message, { code: data['code'], status, url, issues, path: p, from: client });
    }
    const response = isRecord(client.meta) && isRecord(client.meta['response']) ? client.meta['response'] : undefined;
    if (response && typeof response['status'] === 'number') {
      return new MlapiError(
        `${url} answered HTTP ${response['status']} without a tRPC reply (is this an mlapi server?)`,
        {
          code: 'BAD_RESPONSE',
          status: response['status'],
          url,
          path,
          from: client,
        },
      );
    }
    return new MlapiError(`could not reach the mlapi server at ${url}: ${networkReason(client.cause ?? err)}`, {
      code: 'NETWORK_ERROR',
      status: 0,
      url,
      path,
      from: client,
    });
  }
}

/** Narrowing helper for `catch (err)`. */
export const isMlapiError = (err: unknown): err is MlapiError => err instanceof MlapiError;
