import type { AnyTRPCProcedure, AnyTRPCRouter } from '@trpc/server';
import type { Meta } from '../../core/init.ts';

export interface ProcedureInfo {
  path: string;
  procedure: AnyTRPCProcedure;
  meta: Meta;
  inputs: unknown[];
}

/** Every procedure of a router with its path, metadata and input parsers. */
export function procedureMetas(router: AnyTRPCRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<
    string,
    AnyTRPCProcedure & { _def: { meta?: Meta; inputs: unknown[] } }
  >;
  return Object.entries(procedures).map(([path, p]) => ({
    path,
    procedure: p,
    meta: p._def.meta ?? {},
    inputs: p._def.inputs,
  }));
}
