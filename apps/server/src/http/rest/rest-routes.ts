import type { AnyTRPCProcedure, AnyTRPCRouter } from '@trpc/server';
import { z } from 'zod';
import { procedureMetas } from '../openapi/procedure-meta.ts';

export interface RestRoute {
  method: string;
  /** The template path, e.g. `/admin/users/{user_id}`. */
  template: string;
  /** The tRPC procedure path, e.g. `admin.byId`. */
  path: string;
  /** The procedure itself, called with the request's context and its input read lazily (rest-handler.ts). */
  procedure: AnyTRPCProcedure;
  pattern: RegExp;
  params: string[];
  successStatus: number;
  /** The procedure takes no input (`z.void()`): nothing is passed to it. */
  voidInput: boolean;
  /** The body may be a model upload (up to MAX_UPLOAD_BYTES). */
  upload: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** The REST routes of a router, from each procedure's `openapi` metadata. */
export function restRoutes(router: AnyTRPCRouter): RestRoute[] {
  return procedureMetas(router).flatMap(({ path, procedure, meta, inputs }) => {
    const { openapi } = meta;
    if (!openapi) return [];
    const params: string[] = [];
    const source = openapi.path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const param = /^\{(.+)\}$/.exec(part)?.[1];
        if (!param) return escape(part);
        params.push(param);
        return '([^/]+)';
      })
      .join('');
    return [
      {
        method: openapi.method,
        template: openapi.path,
        path,
        procedure,
        pattern: new RegExp(`^${source}$`),
        params,
        successStatus: meta.successStatus ?? 200,
        voidInput: inputs.length === 0 || inputs[0] instanceof z.ZodVoid,
        upload: meta.bodyLimit === 'upload',
      },
    ];
  });
}

export type RouteMatch = { route: RestRoute; pathParams: Record<string, string> } | { allowed: string[] } | null;

/** Finds the route for a method and path (a trailing slash is ignored); `allowed` when only the method is wrong. */
export function matchRoute(routes: RestRoute[], method: string, pathname: string): RouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const allowed: string[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const pathParams: Record<string, string> = {};
    try {
      route.params.forEach((name, i) => {
        pathParams[name] = decodeURIComponent(m[i + 1]!);
      });
    } catch {
      return null; // malformed percent-encoding: no such path
    }
    return { route, pathParams };
  }
  return allowed.length ? { allowed } : null;
}
