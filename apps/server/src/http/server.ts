import { createServer, type RequestListener, type Server } from 'node:http';
import { apiReplyHeaders } from './api-reply-headers.ts';

const startingReply = JSON.stringify({ message: 'starting', code: 'SERVICE_UNAVAILABLE' });

/** The answer while the server has its port but not yet its database and models: come back in a second. */
const starting: RequestListener = (_req, res) => {
  res
    .writeHead(503, {
      ...apiReplyHeaders,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(startingReply),
      'retry-after': '1',
    })
    .end(startingReply);
};

export interface HttpServer {
  server: Server;
  /** From now on every request goes to `handler` (until then: 503 `starting`, Retry-After: 1). */
  serve: (handler: RequestListener) => void;
}

/**
 * The HTTP server, before anything else exists: the start binds the port first, so a port already in use stops
 * it before the database is opened or a file is written. Requests that arrive while the rest starts get a 503.
 */
export function createHttpServer(): HttpServer {
  let handler = starting;
  const server = createServer((req, res) => handler(req, res));
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return { server, serve: (next) => void (handler = next) };
}

/** Why `listen` failed, for a person: the port and address named, and what to do. */
function listenProblem(err: NodeJS.ErrnoException, port: number, host: string): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} is already in use on ${host}: stop the other process or set PORT`;
    case 'EACCES':
      return `no permission to listen on port ${port} on ${host}: use a port above 1023 or set PORT`;
    case 'EADDRNOTAVAIL':
      return `address ${host} is not one of this machine's: set HOST`;
    default:
      return err.message;
  }
}

/** Binds the port; a failure is an Error whose message says what to do (listenProblem). */
export async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((done, fail) => {
    const onError = (err: NodeJS.ErrnoException) => fail(new Error(listenProblem(err, port, host), { cause: err }));
    server.once('error', onError);
    // A deep accept queue: a burst of connections waits to be accepted instead of being dropped and retried.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', onError);
      done();
    });
  });
}
