import { z } from 'zod';
import { idParam } from './id.ts';
import { plainString } from './plain-text.ts';
import { serviceVersionSchema } from './services/service-version.ts';

export const createApiKeyInput = z
  .object({
    name: plainString('name').trim().min(1).max(100),
    services: z.array(serviceVersionSchema).min(1).max(2).describe('The services this key may call.'),
  })
  .meta({ example: { name: 'nightly-job', services: ['v1'] } });

export const apiKeySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string().describe('The public start of the key, to recognise it.'),
  services: z.array(serviceVersionSchema),
  created_at: z.iso.datetime(),
  last_used_at: z.iso.datetime().nullable(),
  revoked_at: z.iso.datetime().nullable(),
});

export const createdApiKeySchema = apiKeySchema.extend({
  key: z.string().describe('The secret key. Shown once: store it now.'),
});

export const apiKeyIdInput = z.object({ key_id: idParam('key_id') });
