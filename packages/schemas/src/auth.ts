import { z } from 'zod';

/**
 * `POST /auth/token`: the OAuth2 password form (also accepted as JSON). The extra OAuth2 fields are accepted
 * and ignored, as the original template did; `grant_type`, when given, must be `password`.
 */
export const tokenInput = z.object({
  username: z.string().trim().toLowerCase().min(1, 'username is required'),
  password: z.string().min(1, 'password is required'),
  grant_type: z.union([z.literal(''), z.literal('password')]).optional(),
  scope: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});
export type TokenInput = z.infer<typeof tokenInput>;

export const tokenOutput = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int().describe('Seconds until the token expires.'),
});
export type TokenOutput = z.infer<typeof tokenOutput>;
