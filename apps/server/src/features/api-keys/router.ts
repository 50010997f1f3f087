import { apiKeyIdInput, apiKeySchema, createApiKeyInput, createdApiKeySchema, page, pageQuery } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { generateApiKey } from './api-keys.ts';
import { toApiKeyDto } from '../users/user-dto.ts';
import { protectedProcedure, router } from '../../core/procedures.ts';
import { pageReply, pageRequest } from '../../core/pages.ts';

const tags = ['api keys'];

/** Named API keys for scripts: shown once at creation, stored hashed, scoped to services, revocable. */
export const apiKeysRouter = router({
  create: protectedProcedure
    .meta({
      openapi: { method: 'POST', path: '/user/api-keys', tags, summary: 'Create an API key (the key is shown once)' },
      successStatus: 201,
    })
    .input(createApiKeyInput)
    .output(createdApiKeySchema)
    .mutation(async ({ ctx, input }) => {
      const { key, prefix, hash } = generateApiKey();
      const apiKey = await ctx.deps.data.apiKeys.create({
        ownerId: ctx.user.id,
        name: input.name,
        prefix,
        keyHash: hash,
        scopeV1: input.services.includes('v1'),
        scopeV2: input.services.includes('v2'),
      });
      return { ...toApiKeyDto(apiKey), key };
    }),

  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/user/api-keys', tags, summary: 'Your API keys (never the secret)' } })
    .input(pageQuery)
    .output(page(apiKeySchema))
    .query(async ({ ctx, input }) =>
      pageReply(input, await ctx.deps.data.apiKeys.listOwned(ctx.user.id, pageRequest(input)), toApiKeyDto),
    ),

  revoke: protectedProcedure
    .meta({
      openapi: { method: 'DELETE', path: '/user/api-keys/{key_id}', tags, summary: 'Revoke one of your API keys' },
      successStatus: 204,
      errors: { 404: 'You have no API key of this id.' },
    })
    .input(apiKeyIdInput)
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      const revoked = await ctx.deps.data.apiKeys.revokeOwned(ctx.user.id, input.key_id, ctx.deps.now());
      if (!revoked) throw new TRPCError({ code: 'NOT_FOUND', message: `API key ${input.key_id} not found` });
    }),
});
