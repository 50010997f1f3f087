import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

/** What a token says. Informational only: every decision re-reads the user; `ver` must match their token version. */
export const claimsSchema = z.object({
  sub: z.string().regex(/^\d+$/),
  username: z.string(),
  role: z.enum(['admin', 'user']),
  has_access_v1: z.boolean(),
  has_access_v2: z.boolean(),
  ver: z.number().int(),
  exp: z.number(),
});
export type Claims = z.infer<typeof claimsSchema>;

export interface TokenSubject {
  id: number;
  username: string;
  role: 'admin' | 'user';
  hasAccessV1: boolean;
  hasAccessV2: boolean;
  tokenVersion: number;
}

/** Signs and verifies HS256 access tokens. The key is a KeyObject made once (a string secret costs ~40x per verify). */
export class TokenService {
  private readonly key: KeyObject;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(user: TokenSubject): string {
    const payload = {
      sub: String(user.id),
      username: user.username,
      role: user.role,
      has_access_v1: user.hasAccessV1,
      has_access_v2: user.hasAccessV2,
      ver: user.tokenVersion,
    };
    return jwt.sign(payload, this.key, { algorithm: 'HS256', expiresIn: this.ttlSeconds });
  }

  /** The claims of a valid, unexpired HS256 token carrying `exp`; null for anything else. */
  verify(token: string): Claims | null {
    try {
      const payload = jwt.verify(token, this.key, { algorithms: ['HS256'] });
      const claims = claimsSchema.safeParse(payload);
      return claims.success ? claims.data : null;
    } catch {
      return null;
    }
  }
}
