import type { AnyTRPCRouter } from '@trpc/server';
import type { Meta } from '../../core/init.ts';

export interface ProcedureInfo {
  path: string;
  meta: Meta;
  inputs: unknown[];
}

/** Every procedure of a router with its path, metadata and input parsers. */
export function procedureMetas(router: AnyTRPCRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<string, { _def: { meta?: Meta; inputs: unknown[] } }>;
  return Object.entries(procedures).map(([path, p]) => ({ path, meta: p._def.meta ?? {}, inputs: p._def.inputs }));
}
