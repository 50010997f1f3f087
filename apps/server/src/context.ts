import type { Em } from '@mlapi/db';
import type { AppDeps } from './deps.ts';

/** What every procedure sees: the shared services, one EntityManager fork, and the raw credentials. */
export interface Context {
  deps: AppDeps;
  em: Em;
  /** The `Authorization` header as sent, if any. */
  authorization: string | undefined;
  requestId: string;
}

let counter = 0;

/** Testable context builder: the adapters and createCaller tests both go through it. */
export function createContextInner(deps: AppDeps, authorization?: string, requestId?: string): Context {
  return { deps, em: deps.db.fork(), authorization, requestId: requestId ?? `r${(++counter).toString(36)}` };
}
