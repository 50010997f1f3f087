import { createClient, isMlapiError, type MlapiClient } from '@mlapi/sdk';

const key = 'mlapi.dashboard.token';

let onExpired: () => void = () => {};

/** What the page does when the server refuses the signed-in token (expired, password changed, user deleted). */
export function onSessionExpired(handler: () => void): void {
  onExpired = handler;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The HTTP status of one call in a batched tRPC reply (superjson wraps each error in `json`). */
function callStatus(item: unknown): unknown {
  if (!isRecord(item) || !isRecord(item.error)) return undefined;
  const shape = isRecord(item.error.json) ? item.error.json : item.error;
  return isRecord(shape.data) ? shape.data.httpStatus : undefined;
}

/** A 401 for the whole request, or for one call of a batch answered 207 (mixed outcomes). */
async function isUnauthorized(res: Response): Promise<boolean> {
  if (res.status === 401) return true;
  if (res.status !== 207) return false;
  try {
    const body: unknown = await res.clone().json();
    return Array.isArray(body) && body.some((item) => callStatus(item) === 401);
  } catch {
    return false;
  }
}

/**
 * Every call goes through here, so a 401 anywhere (a refresh, a filter, a checkbox, a chart opened later) ends the
 * session the same way: the token is forgotten and the sign-in form comes back. Only a call that carried the
 * current token counts: a wrong password at sign-in is a 401 too, and answers that arrive after the session
 * ended must not end it twice.
 */
const watchingFetch: typeof fetch = async (input, init) => {
  const sent = new Headers(init?.headers).get('authorization');
  const res = await fetch(input, init);
  const current = client.token;
  if (sent && current && sent === `Bearer ${current}` && (await isUnauthorized(res))) {
    signOut();
    onExpired();
  }
  return res;
};

/**
 * One SDK client (tRPC to this server's /trpc); the token lives in sessionStorage for this tab only. Calls made in
 * the same tick share one HTTP request, up to 32 (a month of per-day metrics of one service).
 */
export const client: MlapiClient = createClient({
  url: window.location.origin,
  token: sessionStorage.getItem(key) ?? undefined,
  fetch: watchingFetch,
  maxBatchSize: 32,
});

export async function signIn(username: string, password: string): Promise<void> {
  const { access_token } = await client.login(username, password);
  sessionStorage.setItem(key, access_token);
}

export function signOut(): void {
  client.logout();
  sessionStorage.removeItem(key);
}

export const isUnauthorizedError = (err: unknown): boolean => isMlapiError(err) && err.code === 'UNAUTHORIZED';
export const message = (err: unknown): string => (isMlapiError(err) ? err.message : String(err));
