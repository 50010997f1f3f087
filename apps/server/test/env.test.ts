import { describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';

describe('configuration', () => {
  it('defaults to the embedded SQLite file and port 8080', () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBe('sqlite:./data/mlapi.sqlite');
    expect(env.PORT).toBe(8080);
    expect(env.ACCESS_TOKEN_EXPIRE_MINUTES).toBe(20);
    expect(env.BCRYPT_COST).toBe(12);
  });

  it('production refuses to start without a 32-byte JWT_SECRET and a SUPERUSER_PASSWORD', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET[\s\S]*SUPERUSER_PASSWORD/);
    expect(() => loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'short', SUPERUSER_PASSWORD: 'x' })).toThrow(/JWT_SECRET/);
    expect(loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SUPERUSER_PASSWORD: 'p' }).NODE_ENV).toBe('production');
  });

  it('names each bad variable', () => {
    expect(() => loadEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });
});
