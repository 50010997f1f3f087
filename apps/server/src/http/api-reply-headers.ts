/**
 * Headers on every API reply, REST and /trpc, success and error: nothing the API answers (tokens, a new API key's
 * secret, user data) may be kept by a browser or a shared cache. `pragma` is what RFC 6749 §5.1 asks of the OAuth2
 * token endpoint, for HTTP/1.0 caches; it is harmless on the rest. Static files (/docs assets, /openapi.json, the
 * dashboard's hashed assets) keep their own caching.
 */
export const apiReplyHeaders: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  pragma: 'no-cache',
});
