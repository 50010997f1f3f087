import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyTRPCProcedure } from '@trpc/server';
import {
  getErrorShape,
  getHTTPStatusCode,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  TRPCError,
  urlPathToProcedurePath,
} from '@trpc/server/unstable-core-do-not-import';
import { createContextInner, requestInfo, type Context } from '../../core/context.ts';
import type { AppDeps } from '../../core/deps.ts';
import type { Meta } from '../../core/init.ts';
import type { AppRouter } from '../../app-router.ts';
import { apiReplyHeaders } from '../api-reply-headers.ts';
import { errorHeaders, noteError } from '../error-reply.ts';
import { lazyInputs } from './lazy-inputs.ts';
import { createStockTrpcHandler } from './stock-handler.ts';

type ProcedureType = 'query' | 'mutation' | 'subscription';
const acceptedMethods: Record<ProcedureType, string[]> = { mutation: ['POST'], query: ['GET'], subscription: ['GET'] };

const mediaType = (value: string | undefined) => value?.toLowerCase().split(';', 1)[0]?.trim();
const trimSlashes = (path: string) => path.replace(/^\//, '').replace(/\/$/, '');
const plainHost = /^[\w.:[\]-]*$/;

/**
 * Whether the lean binding answers this request exactly as tRPC's adapter would: a GET or a JSON POST, no
 * streaming (`trpc-accept: application/jsonl`), no connection params, an ordinary Host. Anything else (HEAD, form
 * data, binary bodies, a missing content type…) goes to the stock adapter, so those rarer answers stay tRPC's own.
 */
function isLeanRequest(req: IncomingMessage, url: URL): boolean {
  const { method, headers } = req;
  if (method !== 'GET' && method !== 'POST') return false;
  if (headers['trpc-accept'] !== undefined || headers.accept?.includes('application/jsonl')) return false;
  if (url.searchParams.has('connectionParams') || !plainHost.test(headers.host ?? '')) return false;
  const type = mediaType(headers['content-type']);
  return (
    type === 'application/json' ||
    (method === 'GET' && type !== 'multipart/form-data' && type !== 'application/octet-stream')
  );
}

interface Call {
  path: string;
  batchIndex: number;
  procedure: AnyTRPCProcedure | null;
  getRawInput: () => Promise<unknown>;
  /** The input, if it was parsed. */
  result(): unknown;
}

/**
 * tRPC at /trpc without the stock adapter's per-request fetch `Request`, `AbortSignal` and web streams: the same
 * wire protocol (GET queries with `?input=`, POST mutations, `?batch=1`, superjson, tRPC's status codes and error
 * shapes, built with tRPC's own helpers), dispatching to the same procedures with the same context and middleware.
 * It follows tRPC's adapter step by step (resolveResponse in @trpc/server 11): input is read and parsed only when
 * a procedure asks for it, so a call refused before its input validator never reads the body. One deliberate
 * difference: a body over MAX_BODY_BYTES is a 413 whose message names the limit, as on REST.
 * Requests it does not cover (see isLeanRequest) are handed to the stock adapter; `TRPC_BINDING=stock` (benchmark
 * only) sends every request there.
 */
export function createTrpcHandler(router: AppRouter, deps: AppDeps) {
  const stock = createStockTrpcHandler(router, deps);
  if (deps.env.TRPC_BINDING === 'stock')
    return async (req: IncomingMessage, res: ServerResponse, _url: URL, requestId: string) =>
      stock(req, res, requestId);
  const config = router._def._config;

  /** Every lean /trpc reply: never cached, an error's headers as on every binding (error-reply.ts). */
  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
    errors: (TRPCError | undefined)[],
  ) {
    // A Vary already set (Origin, by cors.ts) is kept alongside tRPC's own.
    const vary = res.getHeader('vary');
    if (vary && headers.vary) headers.vary = `${String(vary)}, ${headers.vary}`;
    res
      .writeHead(status, {
        ...apiReplyHeaders,
        ...headers,
        ...errorHeaders(errors),
        'content-length': Buffer.byteLength(body),
      })
      .end(body);
  }

  return async (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> => {
    if (!isLeanRequest(req, url)) return stock(req, res, requestId);
    const headers: Record<string, string> = { vary: 'trpc-accept, accept' };
    let ctx: Context | undefined;
    // Noted as they happen; a client that hung up mid-body gets no answer at all (counted as 499).
    let clientGone = false;
    const onError = (error: TRPCError, path: string | undefined) => {
      if (!noteError(deps.logger, error, { route: '/trpc', path, requestId })) clientGone = true;
    };
    let type: ProcedureType | 'unknown' = 'unknown';
    try {
      let path: string;
      const raw = trimSlashes(trimSlashes(url.pathname).slice('trpc'.length));
      try {
        path = urlPathToProcedurePath(decodeURIComponent(raw), config.pathSeparator);
      } catch (cause) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `Invalid URL-encoding in path "${raw}"`, cause });
      }
      const isBatch = url.searchParams.get('batch') === '1';
      const paths = isBatch ? path.split(',') : [path];

      const procedures = await Promise.all(paths.map((callPath) => getProcedureAtPath(router, callPath)));
      // A model upload alone in its request may be larger (it is read only once the admin is known).
      const upload = procedures.every((p) => (p?._def.meta as Meta | undefined)?.bodyLimit === 'upload');
      const { getInputs, parsed } = lazyInputs(
        req,
        url,
        config.transformer,
        isBatch,
        paths.length,
        upload ? [deps.env.MAX_UPLOAD_BYTES, 'MAX_UPLOAD_BYTES'] : [deps.env.MAX_BODY_BYTES, 'MAX_BODY_BYTES'],
      );
      const calls: Call[] = paths.map((callPath, index) => ({
        path: callPath,
        batchIndex: index,
        procedure: procedures[index] ?? null,
        getRawInput: async () => (await getInputs())[index],
        result: () => parsed()?.[index],
      }));
      const types = new Set(calls.map((c) => c.procedure?._def.type).filter((t) => t !== undefined));
      if (types.size > 1)
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `Cannot mix procedure types in call: ${Array.from(types).join(', ')}`,
        });
      type = types.values().next().value ?? 'unknown';
      // No procedure here is a subscription (server-sent events): should one appear, tRPC's adapter serves it.
      if (type === 'subscription') return stock(req, res, requestId);
      ctx = createContextInner(deps, requestInfo(req, requestId, deps.env.TRUSTED_PROXIES));
      const callCtx = ctx;

      const outcomes = await Promise.all(
        calls.map(async (call): Promise<[TRPCError, undefined] | [undefined, unknown]> => {
          const proc = call.procedure;
          try {
            if (!proc) throw new TRPCError({ code: 'NOT_FOUND', message: `No procedure found on path "${call.path}"` });
            const procType = proc._def.type;
            if (!acceptedMethods[procType].includes(req.method!)) {
              headers.allow = acceptedMethods[procType].join(', ');
              throw new TRPCError({
                code: 'METHOD_NOT_SUPPORTED',
                message: `Unsupported ${req.method}-request to ${procType} procedure at path "${call.path}"`,
              });
            }
            // Outputs pass their zod output schemas, so they are plain data, never a stream to refuse.
            return [
              undefined,
              await proc({
                path: call.path,
                getRawInput: call.getRawInput,
                ctx: callCtx,
                type: procType,
                signal: undefined,
                batchIndex: call.batchIndex,
              }),
            ];
          } catch (cause) {
            const error = getTRPCErrorFromUnknown(cause);
            onError(error, call.path);
            return [error, undefined];
          }
        }),
      );
      headers['content-type'] = 'application/json';
      const replies = outcomes.map(([error, data], i) => {
        const call = calls[i]!;
        if (!error) return { result: { data } };
        const errorType = isBatch ? (call.procedure?._def.type ?? 'unknown') : type;
        return {
          error: getErrorShape({ config, ctx: callCtx, error, input: call.result(), path: call.path, type: errorType }),
        };
      });
      const errors = outcomes.map(([error]) => error);
      const body = JSON.stringify(transformTRPCResponse(config, isBatch ? replies : replies[0]!));
      if (!clientGone) send(res, getHTTPStatusCode(replies, errors), headers, body, errors);
    } catch (cause) {
      // A request tRPC refuses as a whole (bad path encoding, mixed types): one error, and — as tRPC's adapter
      // answers it — a string body without a JSON content type.
      const error = getTRPCErrorFromUnknown(cause);
      onError(error, undefined);
      const reply = { error: getErrorShape({ config, ctx, error, type, path: undefined, input: undefined }) };
      if (!clientGone)
        send(
          res,
          getHTTPStatusCode(reply, [error]),
          { ...headers, 'content-type': 'text/plain;charset=UTF-8' },
          JSON.stringify(transformTRPCResponse(config, reply)),
          [error],
        );
    }
  };
}
