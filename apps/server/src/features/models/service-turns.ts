import type { ServiceVersion } from '@mlapi/schemas';
import type { AppDeps } from '../../core/deps.ts';

/** One change of what a service serves at a time on this replica (promote, rollback, following another replica). */
const turns = new WeakMap<AppDeps, Map<ServiceVersion, Promise<unknown>>>();
export function inTurn<T>(deps: AppDeps, service: ServiceVersion, work: () => Promise<T>): Promise<T> {
  let queue = turns.get(deps);
  if (!queue) turns.set(deps, (queue = new Map<ServiceVersion, Promise<unknown>>()));
  const run = (queue.get(service) ?? Promise.resolve()).catch(() => undefined).then(work);
  queue.set(service, run);
  return run;
}
