import { createClient, type MlapiClient } from '@mlapi/sdk';

const key = 'mlapi.dashboard.token';

/** One SDK client (tRPC to this server's /trpc); the token lives in sessionStorage for this tab only. */
export const client: MlapiClient = createClient({ url: window.location.origin, token: sessionStorage.getItem(key) ?? undefined });

export async function signIn(username: string, password: string): Promise<void> {
  const { access_token } = await client.login(username, password);
  sessionStorage.setItem(key, access_token);
}

export function signOut(): void {
  client.logout();
  sessionStorage.removeItem(key);
}
