import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import type { AppRouter } from '../../app-router.ts';
import { operationDescriptions } from './openapi-descriptions.ts';
import { documentResponses, dropSafeIntegerBounds, errorSchemas, securityOf } from './openapi-responses.ts';
import { procedureMetas } from './procedure-meta.ts';
import { documentStreamedExport } from './streamed-export.ts';

const description = `Machine-learning models behind accounts, admin-granted rights, a durable log of every call and live
model metrics.

**Sign in**: *Authorize* runs the OAuth2 password flow against \`/auth/token\` (the development superuser is
\`superuser@example.com\` / \`8888\`), or paste an API key (\`mlk_…\`) under *ApiKeyHeader*. An API key may call the
model services it is scoped to and read its owner's profile, history and usage; everything else needs a password
sign-in.

**Errors** are JSON \`{ message, code }\`. Invalid input is **422** with \`issues\` naming each field; a body that is
not JSON is **400** with the parser's \`position\`. Over \`/trpc\` (the typed SDK's transport) the same invalid input
is tRPC's BAD_REQUEST (HTTP 400) with the issues in \`error.data.issues\`.`;

/** The tags in the order Swagger UI shows them, each with what it groups. */
const tags = [
  { name: 'auth', description: 'Register, and sign in (OAuth2 password flow) for a bearer token.' },
  { name: 'user', description: 'Your own profile, password, call history and usage.' },
  { name: 'api keys', description: 'Keys for scripts: shown once, stored hashed, scoped to services, revocable.' },
  { name: 'mlservice v1', description: 'Spam classification of an e-mail: predict, batch, feedback, metrics.' },
  {
    name: 'mlservice v2',
    description: 'Boston house prices from named census features: predict, batch, feedback, metrics.',
  },
  { name: 'admin', description: 'Users, rights, roles, quotas, the audit log and the served models (admins only).' },
  { name: 'analytics', description: 'Usage of the services over a time window.' },
  { name: 'health', description: 'Is the server (or one service) up?' },
];

/**
 * The input's own example (`.meta({ example })` on its zod schema) as the body's example, without the path's
 * parameters: the generator rebuilds the body schema from the fields and drops it. Swagger UI's "Try it out"
 * starts from it, so its default body is a real input that the server accepts.
 */
function addBodyExample(operation: Record<string, unknown>, input: unknown, path: string): void {
  const content = (operation.requestBody as { content?: Record<string, Record<string, unknown>> } | undefined)?.content;
  const example = z.globalRegistry.get(input as z.ZodType)?.example;
  if (!content || !example || typeof example !== 'object') return;
  const inPath = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
  const body = Object.fromEntries(Object.entries(example).filter(([key]) => !inPath.has(key)));
  for (const media of Object.values(content)) media.example = body;
}

/**
 * The OpenAPI document of the REST routes, generated from the procedures' metadata and zod schemas, then completed
 * from what the base procedures say: which routes take a token or an API key, and every status each route really
 * answers (see openapi-responses.ts).
 */
export function buildOpenApiDocument(router: AppRouter, version: string): OpenAPIObject {
  const doc = generateOpenApiDocument(router, {
    title: 'mlapi',
    description,
    version,
    baseUrl: '/',
    securitySchemes: {
      OAuth2PasswordBearer: {
        type: 'oauth2',
        description: 'Username and password; the token lasts ACCESS_TOKEN_EXPIRE_MINUTES (default 20).',
        flows: { password: { tokenUrl: '/auth/token', scopes: {} } },
      },
      ApiKeyHeader: {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'An API key from POST /user/api-keys (mlk_…).',
      },
    },
  });
  doc.tags = tags;
  doc.components = { ...doc.components, schemas: errorSchemas as NonNullable<OpenAPIObject['components']>['schemas'] };
  for (const { meta, inputs } of procedureMetas(router)) {
    const { openapi } = meta;
    if (!openapi) continue;
    const operation = doc.paths?.[openapi.path]?.[openapi.method.toLowerCase() as 'get'];
    if (!operation) continue;
    operation.description ??= operationDescriptions[`${openapi.method} ${openapi.path}`];
    // A public route says so explicitly (an empty list), rather than by leaving security out.
    operation.security = securityOf(meta.access ?? 'public') ?? [];
    const hasInput = inputs.length > 0 && !(inputs[0] instanceof z.ZodVoid);
    documentResponses(operation as Record<string, unknown>, meta, openapi.method, hasInput);
    if (hasInput) addBodyExample(operation as Record<string, unknown>, inputs[0], openapi.path);
  }
  documentStreamedExport(doc);
  dropSafeIntegerBounds(doc.paths);
  return doc;
}
