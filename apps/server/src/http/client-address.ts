import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** Whether the hop at this address (the socket peer is hop 0) is a proxy whose X-Forwarded-For is believed. */
export type TrustedProxies = (address: string, hop: number) => boolean;

const names = ['loopback', 'linklocal', 'uniquelocal'];

/** Trusts no proxy: X-Forwarded-For is ignored and the client is the socket peer. */
const noTrustedProxies: TrustedProxies = () => false;

/**
 * `TRUSTED_PROXIES` compiled once: addresses, CIDR ranges (`10.0.0.0/8`, `fd00::/8`) and the names loopback,
 * linklocal and uniquelocal (the private ranges). Each entry is checked on its own so that the error names it.
 */
export function trustedProxies(entries: readonly string[]): { trust: TrustedProxies; problems: string[] } {
  const problems: string[] = [];
  for (const entry of entries) {
    try {
      proxyAddr.compile(entry);
    } catch {
      problems.push(`"${entry}" is not an IP address, a CIDR range or one of ${names.join(', ')}`);
    }
  }
  if (problems.length || entries.length === 0) return { trust: noTrustedProxies, problems };
  return { trust: proxyAddr.compile([...entries]), problems };
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy; then the right-most X-Forwarded-For
 * hop that is not itself trusted (a hop a client wrote to the left of it is never believed).
 */
export function clientAddress(req: IncomingMessage, trust: TrustedProxies): string | undefined {
  const peer = req.socket.remoteAddress;
  if (peer === undefined || trust === noTrustedProxies) return peer;
  return proxyAddr(req, trust);
}
