import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveJwtSecret } from '../src/features/auth/jwt-secret.ts';

describe('development JWT secret', () => {
  it('is generated once with mode 0600, with a warning, and reused after', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mlapi-secret-'));
    const warnings: string[] = [];
    const first = resolveJwtSecret({ configured: undefined, dataDir, warn: (m) => warnings.push(m) });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    expect(resolveJwtSecret({ configured: undefined, dataDir, warn: (m) => warnings.push(m) })).toBe(first);
    expect(warnings).toHaveLength(1);
  });

  it('a configured secret wins and writes nothing', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mlapi-secret-'));
    expect(resolveJwtSecret({ configured: 'configured', dataDir, warn: () => {} })).toBe('configured');
    expect(() => statSync(join(dataDir, 'jwt-secret'))).toThrow();
  });
});
