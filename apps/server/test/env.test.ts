import { describe, expect, it } from 'vitest';
import { loadEnv } from '../src/core/env.ts';

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
    expect(() => loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'short', SUPERUSER_PASSWORD: 'x' })).toThrow(
      /JWT_SECRET/,
    );
    expect(loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SUPERUSER_PASSWORD: 'p' }).NODE_ENV).toBe(
      'production',
    );
  });

  it('drift thresholds: PSI 0.1 (warn) and 0.25 (alert) by default; warn must stay below alert', () => {
    expect(loadEnv({})).toMatchObject({ DRIFT_PSI_WARN: 0.1, DRIFT_PSI_ALERT: 0.25 });
    expect(loadEnv({ DRIFT_PSI_WARN: '0.2', DRIFT_PSI_ALERT: '0.5' })).toMatchObject({ DRIFT_PSI_ALERT: 0.5 });
    expect(() => loadEnv({ DRIFT_PSI_WARN: '0.3' })).toThrow(/DRIFT_PSI_WARN \(0\.3\) must be below DRIFT_PSI_ALERT/);
    expect(() => loadEnv({ DRIFT_PSI_ALERT: 'high' })).toThrow(/DRIFT_PSI_ALERT/);
  });

  it('group commit: no linger by default; a whole number of ms up to 100, else refused by name', () => {
    expect(loadEnv({})).toMatchObject({ CALL_LOG_MAX_BATCH: 256, CALL_LOG_LINGER_MS: 0 });
    expect(loadEnv({ CALL_LOG_LINGER_MS: '4' }).CALL_LOG_LINGER_MS).toBe(4);
    for (const bad of ['-1', '101', '1.5', 'soon'])
      expect(() => loadEnv({ CALL_LOG_LINGER_MS: bad })).toThrow(/CALL_LOG_LINGER_MS/);
  });

  it('names each bad variable', () => {
    expect(() => loadEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
  });

  it('CORS_ORIGINS: none by default, a list of exact origins, or * alone; anything else is refused by name', () => {
    expect(loadEnv({}).CORS_ORIGINS).toEqual([]);
    expect(loadEnv({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(loadEnv({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toBe('*');
    for (const bad of [
      'https://app.example.com/',
      'https://app.example.com/app',
      'app.example.com',
      'ftp://files.example.com',
      'https://App.Example.com',
      'https://a.example:443',
      '*, https://app.example.com',
    ])
      expect(() => loadEnv({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
  });
});
