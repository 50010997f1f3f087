import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@mlapi/server/testing';
import { loadEnv } from '../src/core/env.ts';
import { loginFrom } from './login-from.ts';

describe('TRUSTED_PROXIES', () => {
  it('takes addresses, CIDR ranges and names; a bad entry stops the start, named', () => {
    expect(() =>
      loadEnv({ TRUSTED_PROXIES: 'loopback, 10.0.0.0/8, fd00::/8, 192.168.1.7, uniquelocal' }),
    ).not.toThrow();
    expect(() => loadEnv({ TRUSTED_PROXIES: '10.0.0.0/8, nginx.internal' })).toThrow(
      /TRUSTED_PROXIES: "nginx\.internal" is not an IP address/,
    );
    expect(() => loadEnv({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES: "10\.0\.0\.0\/33"/);
  });

  describe('login throttling per client address (3 failures per address)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer('sqlite', { TRUSTED_PROXIES: '127.0.0.1', LOGIN_MAX_FAILURES_PER_IP: '3' });
    });
    afterAll(() => server.stop());
    let n = 0;
    const user = () => `nobody${++n}@example.com`;

    it('through a trusted proxy: counted per forwarded address, the right-most hop not itself trusted', async () => {
      const viaProxy = (forwarded: string) =>
        loginFrom(server.url, '127.0.0.1', user(), { 'x-forwarded-for': forwarded });
      // Hops a client wrote to the left of the proxy's own entry change nothing.
      for (const spoofed of ['198.51.100.1', '198.51.100.2', '198.51.100.3'])
        expect(await viaProxy(`${spoofed}, 203.0.113.5`)).toBe(401);
      expect(await viaProxy('198.51.100.4, 203.0.113.5')).toBe(429);
      expect(await viaProxy('203.0.113.5, 127.0.0.1')).toBe(429);
      expect(await viaProxy('203.0.113.6')).toBe(401);
    });

    it('from a peer that is not a trusted proxy: X-Forwarded-For is ignored', async () => {
      for (const claimed of ['198.51.100.11', '198.51.100.12', '198.51.100.13'])
        expect(await loginFrom(server.url, '127.0.0.2', user(), { 'x-forwarded-for': claimed })).toBe(401);
      expect(await loginFrom(server.url, '127.0.0.2', user(), { 'x-forwarded-for': '198.51.100.14' })).toBe(429);
      expect(await loginFrom(server.url, '127.0.0.2', user())).toBe(429);
    });
  });

  it('unset: X-Forwarded-For is ignored, even from loopback', async () => {
    const server = await startTestServer('sqlite', { LOGIN_MAX_FAILURES_PER_IP: '2' });
    try {
      for (const claimed of ['198.51.100.21', '198.51.100.22'])
        expect(
          await loginFrom(server.url, '127.0.0.3', `a${claimed}@example.com`, { 'x-forwarded-for': claimed }),
        ).toBe(401);
      expect(await loginFrom(server.url, '127.0.0.3', 'b@example.com', { 'x-forwarded-for': '198.51.100.23' })).toBe(
        429,
      );
    } finally {
      await server.stop();
    }
  });
});
