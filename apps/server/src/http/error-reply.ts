import type { ServerResponse } from 'node:http';
import type { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { describeError, inputIssues } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { retryAfterOf } from '../core/too-many-requests.ts';
import { isClientClosedRequest } from './client-closed.ts';
import { MalformedJson } from './read-body.ts';
import { sendJson } from './send-json.ts';

/**
 * How every binding (REST, the lean /trpc binding, tRPC's stock adapter) answers an error. The message and the
 * failing fields come from core/errors.ts (the tRPC error formatter uses the same), so the bindings differ only in
 * the body's envelope: REST's `{ message, code, issues? }`, tRPC's error shape.
 */

/** Headers an error answer carries: how to authenticate after a 401, when to retry after a 429. */
export function errorHeaders(errors: readonly (TRPCError | undefined)[]): Record<string, string> {
  const headers: Record<string, string> = {};
  if (errors.some((e) => e?.code === 'UNAUTHORIZED')) headers['www-authenticate'] = 'Bearer';
  const retryAfter = errors.map((e) => (e ? retryAfterOf(e) : undefined)).find((s) => s !== undefined);
  if (retryAfter) headers['retry-after'] = String(retryAfter);
  return headers;
}

/**
 * What is noted of an error before it is answered: an internal error is logged with its cause (the client sees
 * only "Internal server error"); a client that hung up mid-body is logged at info level. Answers false when the
 * client is gone and there is nobody to answer (the request is counted as 499, never as a 5xx).
 */
export function noteError(logger: Logger, error: TRPCError, where: Record<string, unknown>): boolean {
  if (isClientClosedRequest(error)) {
    logger.info(where, 'client closed the request');
    return false;
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ ...where, err: error.cause ?? error }, 'internal error');
  return true;
}

/** The REST error answer: message, code, and for bad input the failing fields (422) or the JSON error's position. */
export function sendRestError(res: ServerResponse, error: TRPCError): void {
  const issues = inputIssues(error);
  const headers = errorHeaders([error]);
  if (issues)
    return sendJson(res, 422, { message: describeError(error), code: 'UNPROCESSABLE_CONTENT', issues }, headers);
  const position = error.cause instanceof MalformedJson ? { position: error.cause.position } : {};
  sendJson(
    res,
    getHTTPStatusCodeFromError(error),
    { message: describeError(error), code: error.code, ...position },
    headers,
  );
}
