import { createTRPCClient, httpBatchLink, type TRPCClient, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '@mlapi/server';
import superjson from 'superjson';
import { MlapiError } from './errors.ts';
import type { TokenOutput } from './types.ts';

export interface ClientOptions {
  /** The server's base URL, e.g. `http://localhost:8080` (the client talks to `<url>/trpc`). */
  url: string;
  /** An access token from `login` or `POST /auth/token`. */
  token?: string;
  /**
   * An API key (`mlk_…`, from `apiKeys.create` / `POST /user/api-keys`), sent as `Authorization: Bearer <key>`
   * exactly like a token; it acts with its owner's rights, for the services it is scoped to. Give `token` or
   * `apiKey`, not both.
   */
  apiKey?: string;
  /** A `fetch` to use instead of the global one (tests, proxies, older runtimes). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers sent with every request (e.g. a request id). */
  headers?: Record<string, string>;
  /** Most calls one HTTP request may carry when calls are batched (default 10). */
  maxBatchSize?: number;
}

export interface ClientExtras {
  /** The normalised base URL. */
  readonly url: string;
  /** The credential currently sent, if any. */
  readonly token: string | undefined;
  /** Logs in (OAuth2 password grant), keeps the token for later calls, and returns the server's reply. */
  login(username: string, password: string): Promise<TokenOutput>;
  /** Replaces the credential sent with every call (`undefined` sends none). */
  setToken(token: string | undefined): void;
  /** Forgets the credential (the server has no sessions: the token itself stays valid until it expires). */
  logout(): void;
}

/** A typed tRPC client for every procedure of the mlapi router, plus login/token handling. */
export type MlapiClient = TRPCClient<AppRouter> & ClientExtras;

/** Re-throws every failure as an MlapiError (typed code, HTTP status, field issues). */
function errorLink(url: string): TRPCLink<AppRouter> {
  return () =>
    ({ next, op }) =>
      observable((observer) => {
        const subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          error: (err) => observer.error(MlapiError.fromUnknown(err, url, op.path)),
          complete: () => observer.complete(),
        });
        return () => subscription.unsubscribe();
      });
}

/** Normalises `http://host:8080/` → `http://host:8080`; rejects what is not an http(s) URL. */
export function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a valid server URL: ${JSON.stringify(url)} (expected e.g. http://localhost:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new TypeError(`not an http(s) server URL: ${JSON.stringify(url)}`);
  return parsed.href.replace(/\/+$/, '');
}

/**
 * Creates a client. Every procedure is typed from the server's router:
 *
 * ```ts
 * const mlapi = createClient({ url: 'http://localhost:8080' });
 * await mlapi.login('superuser@example.com', '8888');
 * const me = await mlapi.user.me.query();
 * const { category } = await mlapi.ml.v1.predict.mutate({ text: 'Subject: lunch\n\nSee you at noon.' });
 * ```
 */
export function createClient(options: ClientOptions): MlapiClient {
  if (options.token !== undefined && options.apiKey !== undefined)
    throw new TypeError('createClient: give either token or apiKey, not both');
  const url = normalizeUrl(options.url);
  let credential = options.token ?? options.apiKey;
  const extraHeaders = options.headers ?? {};

  const trpc = createTRPCClient<AppRouter>({
    links: [
      errorLink(url),
      httpBatchLink({
        url: `${url}/trpc`,
        transformer: superjson,
        maxItems: options.maxBatchSize ?? 10,
        headers: () => (credential ? { ...extraHeaders, authorization: `Bearer ${credential}` } : extraHeaders),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });

  const extras: ClientExtras = {
    url,
    get token() {
      return credential;
    },
    async login(username, password) {
      const reply = await trpc.auth.token.mutate({ username, password });
      credential = reply.access_token;
      return reply;
    },
    setToken(token) {
      credential = token;
    },
    logout() {
      credential = undefined;
    },
  };

  // The tRPC client is a proxy over procedure paths; answer our own members first, then delegate.
  return new Proxy(trpc, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && Object.prototype.hasOwnProperty.call(extras, prop))
        return Reflect.get(extras, prop) as unknown;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  }) as MlapiClient;
}
