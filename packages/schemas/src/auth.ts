import { z } from 'zod';
import { plainString } from './plain-text.ts';
import { maxUsernameLength, presentedPasswordSchema } from './user.ts';

/**
 * `POST /auth/token`: the OAuth2 password form (also accepted as JSON). The extra OAuth2 fields are accepted
 * and ignored, as the original template did; `grant_type`, when given, must be `password`.
 */
export const tokenInput = z
  .object({
    username: plainString('username')
      .trim()
      .toLowerCase()
      .min(1, 'username is required')
      .max(maxUsernameLength, `username must be at most ${maxUsernameLength} characters`),
    password: presentedPasswordSchema('password'),
    grant_type: z.union([z.literal(''), z.literal('password')]).optional(),
    scope: plainString('scope').optional(),
    client_id: plainString('client_id').optional(),
    client_secret: plainString('client_secret').optional(),
  })
  .meta({ example: { grant_type: 'password', username: 'superuser@example.com', password: '8888' } });
/** @public re-exported by the SDK for its users */
export type TokenInput = z.infer<typeof tokenInput>;

export const tokenOutput = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int().describe('Seconds until the token expires.'),
});
export type TokenOutput = z.infer<typeof tokenOutput>;
