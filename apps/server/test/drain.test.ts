import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@mlapi/server/testing';

/** One HTTP/1.1 request written on a raw socket; resolves with the reply's head once it has come. */
function send(socket: Socket, path: string): Promise<string> {
  return new Promise((done, fail) => {
    if (socket.readyState !== 'open') return fail(new Error(`the server closed the socket (${socket.readyState})`));
    let reply = '';
    const onData = (chunk: Buffer) => {
      reply += chunk.toString();
      if (!reply.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', onClose);
      done(reply.slice(0, reply.indexOf('\r\n\r\n')));
    };
    const onClose = () => fail(new Error(`socket closed before a reply (got ${JSON.stringify(reply)})`));
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('close', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nhost: localhost\r\n\r\n`);
  });
}

const opened = (port: number) =>
  new Promise<Socket>((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => done(socket));
    socket.once('error', fail);
  });

describe('draining the server (what a proxy that keeps idle connections sees)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.database.drop());

  it('refuses new connections at once, answers a request on an idle kept-alive socket with connection: close', async () => {
    const port = Number(new URL(server.url).port);
    const idle = await opened(port);
    expect(await send(idle, '/healthz')).toMatch(/^HTTP\/1\.1 200[\s\S]*connection: keep-alive/i);

    const closed = server.close({ idleGraceMs: 2000 });
    await new Promise((r) => setTimeout(r, 100));
    await expect(opened(port)).rejects.toThrow(/ECONNREFUSED/);
    // The idle socket was not closed under the proxy: a request on it is answered, and the socket then ends.
    const ended = new Promise((done) => idle.once('close', done));
    expect(await send(idle, '/healthz')).toMatch(/^HTTP\/1\.1 200[\s\S]*connection: close/i);
    await ended;
    await closed;
  });
});
