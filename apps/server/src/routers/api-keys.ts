import { ApiKey } from '@mlapi/db';
import { apiKeyIdInput, apiKeySchema, createApiKeyInput, createdApiKeySchema, page, pageQuery } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { generateApiKey } from '../services/api-keys.ts';
import { toApiKeyDto } from '../services/user-dto.ts';
import { protectedProcedure, router } from '../trpc.ts';

const tags = ['api keys'];

/** Named API keys for scripts: shown once at creation, stored hashed, scoped to services, revocable. */
export const apiKeysRouter = router({
  create: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/user/api-keys', tags, summary: 'Create an API key (the key is shown once)' }, successStatus: 201 })
    .input(createApiKeyInput)
    .output(createdApiKeySchema)
    .mutation(async ({ ctx, input }) => {
      const { key, prefix, hash } = generateApiKey();
      const apiKey = ctx.em.create(ApiKey, {
        owner: ctx.user,
        name: input.name,
        prefix,
        keyHash: hash,
        scopeV1: input.services.includes('v1'),
        scopeV2: input.services.includes('v2'),
      });
      await ctx.em.flush();
      return { ...toApiKeyDto(apiKey), key };
    }),

  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/user/api-keys', tags, summary: 'Your API keys (never the secret)' } })
    .input(pageQuery)
    .output(page(apiKeySchema))
    .query(async ({ ctx, input }) => {
      const [keys, total] = await ctx.em.findAndCount(ApiKey, { owner: ctx.user.id }, { orderBy: { id: 'desc' }, limit: input.limit, offset: input.offset });
      return { items: keys.map(toApiKeyDto), total, limit: input.limit, offset: input.offset };
    }),

  revoke: protectedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/user/api-keys/{key_id}', tags, summary: 'Revoke one of your API keys' }, successStatus: 204, errors: { 404: 'You have no API key of this id.' } })
    .input(apiKeyIdInput)
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      const key = await ctx.em.findOne(ApiKey, { id: input.key_id, owner: ctx.user.id });
      if (!key) throw new TRPCError({ code: 'NOT_FOUND', message: `API key ${input.key_id} not found` });
      key.revokedAt ??= ctx.deps.now();
      await ctx.em.flush();
    }),
});
