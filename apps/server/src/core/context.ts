import type { IncomingMessage } from 'node:http';
import type { AppDeps } from './deps.ts';

/** What a request brings: its credentials as sent, where it came from, and its id. */
export interface RequestInfo {
  /** The `Authorization` header (a bearer JWT or API key). */
  authorization?: string;
  /** The `X-API-Key` header. */
  apiKey?: string;
  clientIp?: string;
  requestId?: string;
}

/** What every procedure sees: the shared services and the request. */
export interface Context {
  deps: AppDeps;
  request: Required<Pick<RequestInfo, 'requestId'>> & RequestInfo;
}

let counter = 0;

/** Testable context builder: the HTTP bindings and createCaller tests both go through it. */
export function createContextInner(deps: AppDeps, request: RequestInfo = {}): Context {
  return { deps, request: { ...request, requestId: request.requestId ?? `r${(++counter).toString(36)}` } };
}

/** The request facts a Node request carries. */
export function requestInfo(req: IncomingMessage, requestId: string): RequestInfo {
  const apiKey = req.headers['x-api-key'];
  return {
    authorization: req.headers.authorization,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientIp: req.socket.remoteAddress,
    requestId,
  };
}
