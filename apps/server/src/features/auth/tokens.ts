import { createSecretKey, type KeyObject } from 'node:crypto';
import { maxInt32, roleSchema, type Role } from '@mlapi/schemas';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

/** How far in the future a token's `iat` may lie (clock skew between replicas); a later one is refused. */
const maxIssuedAtSkewSeconds = 60;

/**
 * What a token says. Informational only: every decision re-reads the user; `ver` must match their token version.
 * `sub` is a user id, so a positive integer within the 32-bit column (a larger one could never name a user and
 * would overflow the query); `iat` is required.
 */
const claimsSchema = z.object({
  sub: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .refine((s) => Number(s) <= maxInt32),
  username: z.string(),
  role: roleSchema,
  has_access_v1: z.boolean(),
  has_access_v2: z.boolean(),
  ver: z.number().int(),
  exp: z.number(),
  iat: z.number(),
});
export type Claims = z.infer<typeof claimsSchema>;

export interface TokenSubject {
  id: number;
  username: string;
  role: Role;
  hasAccessV1: boolean;
  hasAccessV2: boolean;
  tokenVersion: number;
}

/** How many verified tokens to remember (a few hundred bytes each); the oldest is forgotten first. */
const verifiedCacheSize = 4096;

/**
 * Signs and verifies HS256 access tokens. The key is a KeyObject made once (a string secret costs ~40x per verify).
 * A token whose signature and claims checked out is remembered, so its next uses cost a lookup and an expiry check
 * instead of a fresh HMAC and parse. That remembers only what the token itself proves; whether its user
 * still exists, with this token version and which rights, is decided on every request from the user as stored now
 * (features/auth/authenticate.ts).
 */
export class TokenService {
  private readonly key: KeyObject;
  private readonly verified = new Map<string, Claims>();

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

  /** The claims of a valid, unexpired HS256 token carrying `exp` and an `iat` not in the future; null for anything else. */
  verify(token: string): Claims | null {
    const known = this.verified.get(token);
    if (known) {
      // jsonwebtoken's own rule: expired once the current whole second reaches `exp`.
      if (Math.floor(Date.now() / 1000) < known.exp) return known;
      this.verified.delete(token);
      return null;
    }
    let claims: Claims;
    try {
      const parsed = claimsSchema.safeParse(jwt.verify(token, this.key, { algorithms: ['HS256'] }));
      if (!parsed.success) return null;
      if (parsed.data.iat > Math.floor(Date.now() / 1000) + maxIssuedAtSkewSeconds) return null;
      claims = Object.freeze(parsed.data);
    } catch {
      return null;
    }
    if (this.verified.size >= verifiedCacheSize) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }
}
