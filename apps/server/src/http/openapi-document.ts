import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import type { AppRouter } from '../routers/root.ts';
import { procedureMetas } from './procedure-meta.ts';

/**
 * The OpenAPI document of the REST routes. Swagger UI's Authorize button runs the OAuth2 password flow against
 * `/auth/token`. Whether a route needs a token comes from its base procedure, not from each route.
 */
export function buildOpenApiDocument(router: AppRouter, version: string): OpenAPIObject {
  const doc = generateOpenApiDocument(router, {
    title: 'mlapi',
    description: 'Machine-learning models behind accounts, admin-granted rights and a call log. tRPC lives at /trpc.',
    version,
    baseUrl: '/',
    securitySchemes: {
      OAuth2PasswordBearer: { type: 'oauth2', flows: { password: { tokenUrl: '/auth/token', scopes: {} } } },
    },
  });
  for (const { meta } of procedureMetas(router)) {
    const { openapi } = meta;
    if (!openapi || meta.authRequired) continue;
    const operation = doc.paths?.[openapi.path]?.[openapi.method.toLowerCase() as 'get'];
    if (!operation) continue;
    delete operation.security;
    if (operation.responses) delete operation.responses['401'];
  }
  return doc;
}
