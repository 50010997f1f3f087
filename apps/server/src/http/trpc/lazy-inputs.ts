import type { IncomingMessage } from 'node:http';
import { isObject, TRPCError, type CombinedDataTransformer } from '@trpc/server/unstable-core-do-not-import';
import { readBody } from '../read-body.ts';

type Inputs = Record<number, unknown>;
/** The body limit in bytes and the setting that sets it (named in the 413). */
type BodyLimit = [bytes: number, setting: string];

/** Reads the request's inputs: the `?input=` of a GET or the JSON body of a POST, one per call of a batch. */
async function readInputs(
  req: IncomingMessage,
  url: URL,
  transformer: CombinedDataTransformer,
  isBatch: boolean,
  calls: number,
  [limit, setting]: BodyLimit,
): Promise<Inputs> {
  let all: unknown;
  if (req.method === 'GET') {
    const query = url.searchParams.get('input');
    if (query) all = JSON.parse(query);
  } else {
    const body = new TextDecoder().decode(await readBody(req, limit, setting));
    if (body) all = JSON.parse(body) as unknown;
  }
  const out = Object.create(null) as Inputs;
  if (all === undefined) return out;
  if (!isBatch) {
    out[0] = transformer.input.deserialize(all);
    return out;
  }
  if (!isObject(all))
    throw new TRPCError({ code: 'BAD_REQUEST', message: '"input" needs to be an object when doing a batch call' });
  for (let index = 0; index < calls; index++) {
    const input = (all as Inputs)[index];
    if (input !== undefined) out[index] = transformer.input.deserialize(input);
  }
  return out;
}

/**
 * The inputs of a /trpc request, read and parsed once, on the first call that asks (tRPC's
 * jsonContentTypeHandler): a call refused before its input validator never reads the body. `parsed()` is what was
 * parsed so far (for error shapes).
 */
export function lazyInputs(
  req: IncomingMessage,
  url: URL,
  transformer: CombinedDataTransformer,
  isBatch: boolean,
  calls: number,
  bodyLimit: BodyLimit,
) {
  let inputs: Promise<Inputs> | undefined;
  let parsed: Inputs | undefined;
  const getInputs = async (): Promise<Inputs> => {
    if (parsed) return parsed;
    inputs ??= readInputs(req, url, transformer, isBatch, calls, bodyLimit).catch((cause: unknown) => {
      if (cause instanceof TRPCError) throw cause;
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: cause instanceof Error ? cause.message : 'Invalid input',
        cause,
      });
    });
    parsed = await inputs;
    inputs = undefined;
    return parsed;
  };
  return { getInputs, parsed: () => parsed };
}
