import { request } from 'node:http';

/**
 * A failing login (wrong password) sent from a loopback address of the test's choosing, with extra headers (an
 * X-Forwarded-For, say); resolves with the status.
 */
export function loginFrom(base: string, from: string, username: string, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ username, password: 'wrong' });
  return new Promise<number>((done, fail) => {
    const req = request(
      `${base}/auth/token`,
      {
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        res.resume();
        res.once('end', () => done(res.statusCode!));
      },
    );
    req.once('error', fail);
    req.end(body);
  });
}
