/** One admin request of the bench's own (a JSON body, a bearer token); its JSON reply, or an error naming it. */
export async function adminCall(
  url: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}
