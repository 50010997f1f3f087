/** Inputs the tests share: an ordinary house for v2 (the API docs' example), and a plain work mail the v1 model reads as ham. */
import { builtInArtifacts } from '@mlapi/ml';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDialect } from '@mlapi/db/testing';
import { login, restClient, superuser, testServerEnv } from '@mlapi/server/testing';
import { startServer, type RunningServer } from '../src/app.ts';

export { v2ExampleInput as house } from '@mlapi/schemas';

export const hamMail =
  'Subject: Re: build\n\nThanks, I applied your patch to the build script and the tests pass now. Cheers, Tom';

/**
 * The built-in v2 model's artifact in a new directory, its card saying `version`: a new version of the same weights,
 * or (`shift`, in units of the target's scale) one whose every price is that much higher.
 */
export function builtInV2Copy(version: string, shift = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlapi-v2-'));
  const file = builtInArtifacts.v2.card;
  const artifact = JSON.parse(readFileSync(join(fileURLToPath(builtInArtifacts.v2.dir), file), 'utf8'));
  artifact.card.version = version;
  artifact.ensemble.base += shift;
  writeFileSync(join(dir, file), JSON.stringify(artifact));
  return dir;
}

/** `n` active users with the v2 right, made straight in the server's database (many, fast), and their tokens. */
async function v2UsersWithTokens(server: RunningServer, prefix: string, n: number): Promise<string[]> {
  const { data, tokens } = server.deps;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const user = await data.users.insert({
      username: `${prefix}.${i}@example.com`,
      firstName: prefix,
      lastName: String(i),
      country: null,
      hashedPassword: 'x',
      role: 'user',
      isActive: true,
      hasAccessV1: false,
      hasAccessV2: true,
    });
    out.push(tokens.sign(user));
    // On SQLite every insert resolves without leaving the microtask queue: let timers run now and then, or the
    // server's keep-alive timeout fires late, on a socket the client has just reused (ECONNRESET).
    if (i % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  return out;
}

/** No quota in the way: these tests make many calls of one user. */
export const noQuotas = { DEFAULT_CALLS_PER_MINUTE: '0', DEFAULT_CALLS_PER_DAY: '0' };

/** Server processes on one database: two replicas on PostgreSQL, one on SQLite (one process owns its file). */
export function startReplicas(dialect: TestDialect, url: string, env: Record<string, string> = noQuotas) {
  const start = () => startServer(testServerEnv(url, env));
  return dialect === 'postgresql' ? Promise.all([start(), start()]) : Promise.all([start()]);
}

/** The shipped v1 model's files, its card saying `version`: an upload of a new version of the same weights. */
export function builtInV1Upload(version: string) {
  const { dir, files, card } = builtInArtifacts.v1;
  return files.map((path) => {
    let bytes = readFileSync(join(fileURLToPath(dir), path));
    if (path === card) {
      const artifact = JSON.parse(bytes.toString('utf8'));
      artifact.card.version = version;
      bytes = Buffer.from(JSON.stringify(artifact));
    }
    return { path, content_base64: bytes.toString('base64') };
  });
}

/**
 * What a rollout test starts from, on the first replica: the superuser signed in, the v2 version live now, the
 * `candidates` registered (copies of the built-in), and `users` users with the v2 right and their tokens.
 */
export async function rolloutSetup(
  servers: RunningServer[],
  candidates: (string | { version: string; shift: number })[],
  prefix: string,
  users: number,
) {
  const api = restClient(servers[0]!.url);
  const admin = await login(api, superuser.username, superuser.password);
  const live = (await api.get('/admin/models/v2/versions', admin)).body.live as string;
  for (const candidate of candidates) {
    const { version, shift } = typeof candidate === 'string' ? { version: candidate, shift: 0 } : candidate;
    const registered = await api.post('/admin/models/v2/versions', { dir: builtInV2Copy(version, shift) }, admin);
    if (registered.status !== 201) throw new Error(`${version} not registered: ${JSON.stringify(registered.body)}`);
  }
  return { api, admin, live, tokens: await v2UsersWithTokens(servers[0]!, prefix, users) };
}

/** Stops every replica of {@link startReplicas} at once. */
export async function stopReplicas(servers: readonly RunningServer[]): Promise<void> {
  for (const s of servers) await s.close({ idleGraceMs: 0 });
}

/** Waits until `done` holds, checking every 50 ms; fails naming `what` after `ms`. */
export async function until(what: string, done: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A series of a server's /metrics (name and labels exactly as exported), summed over `urls`; 0 when absent. */
export async function metricValue(urls: readonly string[], series: string): Promise<number> {
  let n = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    n += Number(
      text
        .split('\n')
        .find((l) => l.startsWith(`${series} `))
        ?.split(' ')[1] ?? 0,
    );
  }
  return n;
}
