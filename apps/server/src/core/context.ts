import type { IncomingMessage } from 'node:http';
import type { AppDeps } from './deps.ts';
import { clientAddress, type TrustedProxies } from '../http/client-address.ts';

/** What a request brings: its credentials as sent, where it came from, and its id. */
export interface RequestInfo {
  /** The `Authorization` header (a bearer JWT or API key). */
  authorization?: string;
  /** The `X-API-Key` header. */
  apiKey?: string;
  /** The client's address: the socket peer, or what a trusted proxy forwarded (TRUSTED_PROXIES). */
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
export function requestInfo(req: IncomingMessage, requestId: string, trust: TrustedProxies): RequestInfo {
  const apiKey = req.headers['x-api-key'];
  return {
    authorization: req.headers.authorization,
    apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    clientIp: clientAddress(req, trust),
    requestId,
  };
}
