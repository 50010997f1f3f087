/** REST over fetch for tests, and the usual first steps: register, grant rights, log in. */
export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny REST client over fetch: JSON in, JSON out, optional bearer token or form body. */
export function restClient(baseUrl: string) {
  const call = async (
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; form?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: (path: string, token?: string) => call('GET', path, { token }),
    post: (path: string, body?: unknown, token?: string) => call('POST', path, { body, token }),
    put: (path: string, body?: unknown, token?: string) => call('PUT', path, { body, token }),
    delete: (path: string, token?: string) => call('DELETE', path, { token }),
    form: (path: string, form: Record<string, string>) => call('POST', path, { form }),
    call,
  };
}
export type RestClient = ReturnType<typeof restClient>;

let userCounter = 0;

/** Registration bodies with unique usernames. */
export const newUser = (overrides: Record<string, unknown> = {}) => ({
  username: `user${++userCounter}.${Date.now().toString(36)}@example.com`,
  first_name: 'Ada',
  last_name: 'Lovelace',
  password: 'correct horse',
  country: 'UK',
  ...overrides,
});

export async function login(api: RestClient, username: string, password: string): Promise<string> {
  const res = await api.post('/auth/token', { username, password });
  if (res.status !== 200) throw new Error(`login failed for ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token;
}

/** Registers a user, lets the superuser set their rights, and logs them in. */
export async function userWithRights(
  api: RestClient,
  adminToken: string,
  rights: { is_active?: boolean; has_access_v1?: boolean; has_access_v2?: boolean } = {},
) {
  const body = newUser();
  const created = await api.post('/auth/create', body);
  if (created.status !== 201) throw new Error(`register failed: ${created.status} ${JSON.stringify(created.body)}`);
  if (Object.keys(rights).length) {
    const res = await api.put(`/admin/users/${created.body.id}`, rights, adminToken);
    if (res.status !== 204) throw new Error(`grant failed: ${res.status}`);
  }
  return {
    id: created.body.id as number,
    username: body.username,
    password: body.password,
    token: await login(api, body.username, body.password),
  };
}
