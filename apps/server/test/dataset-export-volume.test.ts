import { testDialects } from '@mlapi/db/testing';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer, type TestServer } from '@mlapi/server/testing';
import { house } from './fixtures.ts';

const examples = 1_000_000;

/** A full garbage collection on demand: the heap then holds only what is still referenced. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe.each(testDialects)('a million-example export on %s', (dialect) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    ({ server, admin } = await signedInServer(dialect));
    // A million labelled examples written by the database itself, each with a whole house as its input.
    const when = new Date('2026-11-01T00:00:00Z');
    // As each dialect stores them: SQLite epoch ms and 0/1, PostgreSQL timestamptz and boolean.
    const [at, no] = dialect === 'sqlite' ? [when.getTime(), 0] : [when, false];
    const columns = `prediction_id, service_version, model_name, model_version, input, output, predicted_value,
      true_value, predicted_at, feedback_time, is_train_data`;
    const values = `i, 'v2', 'boston', '1.0.0', ?, '{"price": 24000}', 24000, 25000, ?, ?, ?`;
    const params = [JSON.stringify(house), at, at, no];
    await server.deps.db.sql.write(
      dialect === 'sqlite'
        ? `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${examples})
           insert into labelled_examples (${columns}) select ${values} from n`
        : `insert into labelled_examples (${columns})
           select ${values.replace('?,', '?::jsonb,')} from generate_series(1, ${examples}) i`,
      params,
    );
  }, 120_000);
  afterAll(() => server?.stop());

  it('streams every example in bounded memory', async () => {
    // The live heap, sampled after a full collection: what the server and this reader hold, not garbage the
    // collector has not reached yet (how much of that there is varies with the Node version's heuristics).
    const liveHeap = () => {
      collectGarbage();
      return process.memoryUsage().heapUsed;
    };
    const before = liveHeap();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, liveHeap())), 250);
    let lines = 0;
    let bytes = 0;
    try {
      const res = await fetch(`${server.url}/admin/datasets/v2`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      // Counted as it arrives, never held whole (nor by the server: it writes a page once the last one was taken).
      const reader = res.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        const chunk = read.value;
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      }
    } finally {
      clearInterval(sampler);
    }
    expect(lines).toBe(examples);
    // The export is 375 MB; holding it would grow the live heap by more than that. Streamed, the live heap of the
    // server and this reader together grows by a few pages and socket buffers (under 2 MB on both databases).
    expect(bytes).toBeGreaterThan(350 * 2 ** 20);
    expect(peak - before).toBeLessThan(bytes / 8);
  }, 300_000);
});
