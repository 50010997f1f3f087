import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/**
 * Stops an HTTP server so that a proxy in front of it (nginx keeps idle upstream connections and reuses them) never
 * gets a reset on a request it has sent; nginx does not resend a POST once sent, it answers 502.
 *
 * - The listening socket closes first: a proxy's new connection is refused, and a refused connect is retried on
 *   another replica.
 * - Every reply from now on says `connection: close`, so each open socket ends after the request it carries.
 * - An idle socket is not closed at once (the proxy may be writing a request on it this very moment), only after
 *   `idleGraceMs`: with the server's keep-alive timeout there, no socket closes earlier than it would have without
 *   the drain, and a proxy whose own idle timeout is shorter has dropped it by then.
 *
 * Node's `server.close()` closes idle sockets at once, hence the listening socket is closed at the net level. What
 * this cannot prevent: a connection the kernel completed but the server had not yet taken when the listening socket
 * closed is reset; a proxy that keeps its upstream connections alive seldom opens one at that instant.
 */
export async function drainHttpServer(server: Server, idleGraceMs: number): Promise<void> {
  server.prependListener('request', (_req, res) => res.setHeader('connection', 'close'));
  await new Promise<void>((done) => {
    const grace = setTimeout(() => server.closeIdleConnections(), idleGraceMs);
    NetServer.prototype.close.call(server, () => {
      clearTimeout(grace);
      done();
    });
  });
}
