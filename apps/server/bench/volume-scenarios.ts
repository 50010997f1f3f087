/**
 * The reads `npm run bench:volume` times over a database at volume, and v1 predict on top of it: each checked once
 * (a clear error instead of a table of 4xx), the history's cursor page only when the server pages by cursor.
 */
export interface VolumeScenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  token: string;
  connections: number;
  note?: string;
}

export interface VolumeScenarioInput {
  url: string;
  adminToken: string;
  userToken: string;
  userId: number;
  /** The user's calls, to find a page deep in their history. */
  userCalls: number;
  from: Date;
  to: Date;
}

/** One client per read: the latency one dashboard user or script sees, which the targets are about. */
const readers = 1;
/** And the whole-window usage read again with a few clients at once, as several dashboards open would be. */
const busyReaders = 4;
const historyDepth = 100_000;

async function getJson(url: string, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

export async function volumeScenarios(input: VolumeScenarioInput): Promise<VolumeScenario[]> {
  const window = `from=${input.from.toISOString()}&to=${input.to.toISOString()}`;
  const usage = (query: string, name: string): VolumeScenario => ({
    name: `GET /admin/analytics/usage${name}`,
    method: 'GET',
    path: `/admin/analytics/usage?${window}${query}`,
    token: input.adminToken,
    connections: readers,
  });
  // A page deep in, with a page after it (for its cursor): offset 100,000, or as deep as the user's calls go.
  const offset = Math.max(0, Math.min(historyDepth, input.userCalls - 101));
  const scenarios: VolumeScenario[] = [
    usage('', ' (whole window)'),
    usage(`&user_id=${input.userId}`, '?user_id (busiest user)'),
    usage('&service=v2', '?service=v2'),
    usage('&tz=Asia/Kolkata', '?tz=Asia/Kolkata'),
    ...(['v1', 'v2'] as const).map((v): VolumeScenario => ({
      name: `GET /mlservice/${v}/metrics`,
      method: 'GET',
      path: `/mlservice/${v}/metrics`,
      token: input.adminToken,
      connections: readers,
    })),
    {
      name: 'GET /user/history (first page)',
      method: 'GET',
      path: '/user/history',
      token: input.userToken,
      connections: readers,
    },
    {
      name: `GET /user/history?offset=${offset}`,
      method: 'GET',
      path: `/user/history?offset=${offset}`,
      token: input.userToken,
      connections: readers,
      ...(offset < historyDepth ? { note: `the user has ${input.userCalls} calls: not ${historyDepth} deep` } : {}),
    },
  ];
  const deep = await getJson(`${input.url}/user/history?offset=${offset}`, input.userToken);
  if (typeof deep.next_cursor === 'string')
    scenarios.push({
      name: `GET /user/history?cursor= (after offset ${offset})`,
      method: 'GET',
      path: `/user/history?cursor=${encodeURIComponent(deep.next_cursor)}`,
      token: input.userToken,
      connections: readers,
    });
  scenarios.push({
    ...usage('', ` (whole window, ${busyReaders} readers at once)`),
    connections: busyReaders,
  });
  for (const s of scenarios) await getJson(input.url + s.path, s.token);
  scenarios.push({
    name: 'POST /mlservice/v1/predict',
    method: 'POST',
    path: '/mlservice/v1/predict',
    body: JSON.stringify({ text: 'Subject: lunch on Friday\n\nAre we still on for lunch on Friday? Charles' }),
    token: input.userToken,
    connections: 50,
  });
  return scenarios;
}
