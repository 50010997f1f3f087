import { createHash } from 'node:crypto';
import { testDialects } from '@mlapi/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, restClient, startTestServer, superuser, type RestClient, type TestServer } from '@mlapi/server/testing';

const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

describe.each(testDialects)('LOG_INPUTS on %s', (dialect) => {
  describe.each(['hash', 'none'] as const)('LOG_INPUTS=%s', (mode) => {
    let server: TestServer;
    let api: RestClient;
    let admin: string;
    beforeAll(async () => {
      server = await startTestServer(dialect, { LOG_INPUTS: mode });
      api = restClient(server.url);
      admin = await login(api, superuser.username, superuser.password);
    });
    afterAll(() => server.stop());

    const stored = async (table: 'prediction_logs' | 'labelled_examples', id: number) => {
      const column = table === 'prediction_logs' ? 'id' : 'prediction_id';
      const [row] = await server.deps.db.sql.read(`select input from ${table} where ${column} = ?`, [id]);
      return row ? json(row.input) : undefined;
    };

    it('keeps the digest (or nothing) in the log, and the whole input in the labelled example', async () => {
      const input = { text: 'Subject: café ☕\n\nWin a prize now' };
      const predicted = await api.post('/mlservice/v1/predict', input, admin);
      expect(predicted.status).toBe(200);
      const id = predicted.body.prediction_id as number;
      // RFC 8785 canonical JSON of {"text": …}: one member, no spaces, UTF-8.
      const canonical = JSON.stringify(input);
      expect(await stored('prediction_logs', id)).toEqual(
        mode === 'hash'
          ? {
              sha256: createHash('sha256').update(canonical).digest('hex'),
              length: Buffer.byteLength(canonical),
            }
          : {},
      );

      const feedback = (body: Record<string, unknown>) =>
        api.post('/mlservice/v1/feedback', { prediction_id: id, actual: 'spam', ...body }, admin);
      const missing = await feedback({});
      expect(missing.status).toBe(422);
      expect(missing.body.issues.map((i: { path: string[] }) => i.path[0])).toEqual(['input']);
      expect(missing.body.message).toContain(`LOG_INPUTS=${mode}`);
      if (mode === 'hash') {
        const wrong = await feedback({ input: { text: 'another mail' } });
        expect(wrong.status).toBe(422);
        expect(wrong.body.message).toContain('SHA-256');
      }
      expect(await stored('labelled_examples', id)).toBeUndefined();
      expect((await feedback({ input })).status).toBe(200);
      expect(await stored('labelled_examples', id)).toEqual(input);
      // A correction needs no input: the example has it.
      expect((await api.post('/mlservice/v1/feedback', { prediction_id: id, actual: 'ham' }, admin)).status).toBe(200);
      expect(await stored('labelled_examples', id)).toEqual(input);
      const [example] = await server.deps.db.sql.read(
        'select true_label from labelled_examples where prediction_id = ?',
        [id],
      );
      expect(example?.true_label).toBe('ham');
    });

    it('a batch logs every item the same way', async () => {
      const items = [{ text: 'one' }, { text: 'two' }];
      const res = await api.post('/mlservice/v1/predict/batch', { items }, admin);
      expect(res.status).toBe(200);
      const logged = await Promise.all(
        (res.body.items as { prediction_id: number }[]).map((i) => stored('prediction_logs', i.prediction_id)),
      );
      for (const [i, input] of logged.entries())
        expect(input).toEqual(
          mode === 'hash' ? expect.objectContaining({ length: JSON.stringify(items[i]).length }) : {},
        );
    });
  });
});
