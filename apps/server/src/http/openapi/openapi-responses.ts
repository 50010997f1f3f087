import type { Access, Meta } from '../../core/init.ts';

/**
 * The responses of each operation in the OpenAPI document: every status the server really answers, each with its
 * schema, an example and (for 401 and 429) its header — derived from who may call the route (its base
 * procedure), whether it takes input and a body, and the statuses only that route answers (`meta.errors`). What
 * the generator leaves (200 and 400 for everything, 500s) is replaced. A test calls every route and checks each
 * status it gets against this.
 */

type Json = Record<string, unknown>;

const errorRef = { $ref: '#/components/schemas/ErrorReply' };
const validationRef = { $ref: '#/components/schemas/ValidationErrorReply' };

/** The schemas every error reply follows. */
export const errorSchemas = {
  ErrorReply: {
    type: 'object',
    description: 'Every error reply: a message for people and a stable code for programs.',
    properties: {
      message: { type: 'string' },
      code: {
        type: 'string',
        description: "tRPC's error code, e.g. UNAUTHORIZED, FORBIDDEN, NOT_FOUND, TOO_MANY_REQUESTS.",
      },
      position: {
        type: 'integer',
        description: 'Malformed JSON only: where in the body the parser stopped (0-based).',
      },
    },
    required: ['message', 'code'],
  },
  ValidationErrorReply: {
    type: 'object',
    description: 'Invalid input: `issues` names each failing field (its path) and why.',
    properties: {
      message: { type: 'string' },
      code: { type: 'string', enum: ['UNPROCESSABLE_CONTENT'] },
      issues: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            path: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } },
            message: { type: 'string' },
            code: { type: 'string' },
          },
          required: ['path', 'message', 'code'],
        },
      },
    },
    required: ['message', 'code', 'issues'],
  },
};

interface ErrorDoc {
  description: string;
  code: string;
  example: string;
  validation?: boolean;
  headers?: Json;
}

const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
};
const wwwAuthenticate = { 'WWW-Authenticate': { description: 'Always `Bearer`.', schema: { type: 'string' } } };

/** 403 in the words of each kind of route. */
const forbidden: Partial<Record<Access, string>> = {
  session: 'An API key cannot do this: sign in with a password (POST /auth/token).',
  admin: 'Signed in, but not an active admin — or an API key, which no admin route accepts.',
  serviceReader: 'The API key is not scoped to this service.',
  service: 'The account is inactive, has no right to this service (has_access_vN), or the API key is not scoped to it.',
};

const generic: Record<number, Omit<ErrorDoc, 'description'> & { description: string }> = {
  400: {
    description: 'The body is not valid JSON; `position` says where the parser stopped.',
    code: 'BAD_REQUEST',
    example: 'request body is not valid JSON: a value expected at position 12',
  },
  401: {
    description: 'No credentials, or a bad, expired or revoked token or API key, or a user who no longer exists.',
    code: 'UNAUTHORIZED',
    example: 'Could not validate credentials: invalid or expired token',
    headers: wwwAuthenticate,
  },
  403: { description: 'Signed in, but not allowed to do this.', code: 'FORBIDDEN', example: 'Admin rights required' },
  404: { description: 'Not found.', code: 'NOT_FOUND', example: 'user 42 not found' },
  409: { description: 'Conflict.', code: 'CONFLICT', example: 'username ada@example.com is already registered' },
  413: {
    description: 'The body is over MAX_BODY_BYTES (the limit is named).',
    code: 'PAYLOAD_TOO_LARGE',
    example: 'request body is larger than the limit of 1048576 bytes (MAX_BODY_BYTES)',
  },
  415: {
    description: 'The body is neither JSON nor, for /auth/token, an OAuth2 form.',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    example: 'unsupported content-type "text/plain": send application/json',
  },
  422: {
    description: 'Invalid input: `issues` names each failing field.',
    code: 'UNPROCESSABLE_CONTENT',
    example: 'Invalid input: limit must be at most 500',
    validation: true,
  },
  429: {
    description: 'Too many requests; wait `Retry-After` seconds.',
    code: 'TOO_MANY_REQUESTS',
    example: 'Quota exceeded: 600 calls per minute to v1; retry in 12 s',
    headers: retryAfter,
  },
  503: {
    description: 'The database is unreachable, or the server is still starting; retry shortly.',
    code: 'SERVICE_UNAVAILABLE',
    example: 'The database is unavailable; retry shortly',
  },
};

const forbiddenExample: Partial<Record<Access, string>> = {
  service: 'No access to service v1: ask an admin to grant has_access_v1',
  admin: 'Admin rights required',
  serviceReader: 'This API key is not scoped to service v2',
  session:
    "API keys may call the model services and read their owner's profile, history and usage only: sign in with a password (POST /auth/token) for this",
};

/** The 413 of a model upload names its own limit. */
const uploadTooLarge = 'request body is larger than the limit of 268435456 bytes (MAX_UPLOAD_BYTES)';

function response(status: number, override: string | undefined, access: Access, exampleMessage?: string): Json {
  const base = generic[status]!;
  const description = override ?? (status === 403 ? forbidden[access] : undefined) ?? base.description;
  const code = status === 403 ? 'FORBIDDEN' : base.code;
  const example =
    status === 422
      ? {
          message: base.example,
          code,
          issues: [{ path: ['limit'], message: 'limit must be at most 500', code: 'too_big' }],
        }
      : status === 400
        ? { message: base.example, code, position: 12 }
        : { message: exampleMessage ?? (status === 403 ? forbiddenExample[access] : undefined) ?? base.example, code };
  return {
    description,
    ...(base.headers ? { headers: base.headers } : {}),
    content: { 'application/json': { schema: base.validation ? validationRef : errorRef, example } },
  };
}

/** The error statuses of one route, each with its own description where the route gives one. */
function errorStatuses(meta: Meta, method: string, hasInput: boolean): Map<number, string | undefined> {
  const access = meta.access ?? 'public';
  const statuses = new Map<number, string | undefined>();
  const bodyMethod = method === 'POST' || method === 'PUT' || method === 'PATCH';
  if (hasInput && bodyMethod) for (const s of [400, 413, 415]) statuses.set(s, undefined);
  if (access !== 'public') statuses.set(401, undefined);
  if (access !== 'public' && access !== 'apiKeyAllowed') statuses.set(403, undefined);
  if (hasInput) statuses.set(422, undefined);
  if (access === 'service') statuses.set(429, undefined);
  // Any route while the server starts; any that reads the database while it is unreachable.
  statuses.set(503, undefined);
  for (const [status, description] of Object.entries(meta.errors ?? {})) statuses.set(Number(status), description);
  return new Map([...statuses].sort(([a], [b]) => a - b));
}

/** Replaces one operation's responses with the statuses the server answers (the success schema is kept). */
export function documentResponses(operation: Json, meta: Meta, method: string, hasInput: boolean): void {
  const generated = (operation.responses ?? {}) as Record<string, Json>;
  const success = meta.successStatus ?? 200;
  const responses: Record<string, Json> = {};
  if (success === 204) responses['204'] = { description: 'Done: no content.' };
  else responses[String(success)] = { ...generated['200'], description: success === 201 ? 'Created.' : 'OK.' };
  const access = meta.access ?? 'public';
  for (const [status, description] of errorStatuses(meta, method, hasInput))
    responses[String(status)] = response(
      status,
      description,
      access,
      status === 413 && meta.bodyLimit === 'upload' ? uploadTooLarge : undefined,
    );
  operation.responses = responses;
}

/** Every route's security: a bearer token from the password flow, and an API key where a key is accepted. */
export function securityOf(access: Access): Record<string, string[]>[] | undefined {
  if (access === 'public') return undefined;
  const keys = access === 'apiKeyAllowed' || access === 'serviceReader' || access === 'service';
  return keys ? [{ OAuth2PasswordBearer: [] }, { ApiKeyHeader: [] }] : [{ OAuth2PasswordBearer: [] }];
}

const unsafeIntegerBound = 9007199254740991;

/**
 * Removes the ±(2⁵³−1) bounds zod writes for every `.int()`: they say nothing, and Swagger UI shows the lower
 * one as each integer's example value.
 */
export function dropSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(dropSafeIntegerBounds);
  if (!node || typeof node !== 'object') return;
  const record = node as Json;
  if (record.minimum === -unsafeIntegerBound) delete record.minimum;
  if (record.maximum === unsafeIntegerBound) delete record.maximum;
  for (const value of Object.values(record)) dropSafeIntegerBounds(value);
}
